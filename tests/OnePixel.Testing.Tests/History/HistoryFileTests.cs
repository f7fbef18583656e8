using OnePixel.Testing.Baselines;
using OnePixel.Testing.History;
using OnePixel.Testing.Statistics;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.History;

public class HistoryFileTests
{
    private static HistoryRecord Record(int version, string label, string historyPath = "/repo/models/m.history.jsonl") =>
        HistoryFile.RecordOf(ModelVersions.Run(version), ModelVersions.Images(), historyPath, label, "2026-11-29");

    [Test]
    public void A_record_holds_the_runs_figures_outcomes_and_fooling_pixels()
    {
        var record = Record(60, "v2");

        record.Label.Should().Be("v2");
        record.Date.Should().Be("2026-11-29");
        (record.Images, record.Correct, record.Attacked, record.Fooled).Should().Be((10, 10, 10, 6));
        record.SuccessRate.Should().Be(0.6);
        record.SuccessRateInterval.Should().Be(new HistoryInterval(WilsonInterval.For(6, 10).Low, WilsonInterval.For(6, 10).High, "wilson-95"));
        record.Settings.Should().Be(BaselineFile.SettingsOf(ModelVersions.Options));
        record.ImageSet.Indices.Should().Be("0-9");
        record.Model.Sha256.Should().Be("sha-of-v60");
        record.Classes.Should().Equal("dark", "bright");
        record.Results.Where(r => r.Outcome == BaselineOutcome.Fooled).Select(r => r.Name).Should().Equal("image-0", "image-1", "image-2", "image-3", "image-4", "image-5");
        record.Results.Should().AllSatisfy(r =>
        {
            if (r.Outcome == BaselineOutcome.Fooled) r.Pixels.Should().ContainSingle().Which.Should().Match<OnePixel.Testing.Attacks.PixelChange>(p => p.X == 5 && p.Y == 2 && p.Value[0] > 200);
            else r.Pixels.Should().BeNull();
        });
    }

    [Test]
    public void A_record_should_come_back_from_its_line_as_it_was_written()
    {
        var record = Record(60, "v2");

        var line = HistoryFile.ToLine(record);
        var read = HistoryFile.Parse(line, "m.history.jsonl").Single();

        line.Should().EndWith("}\n").And.NotContain("\n{", "a record is one line");
        read.Should().BeEquivalentTo(record);
    }

    [Test]
    public void Appending_adds_a_line_per_version_and_refuses_a_label_twice_leaving_the_file_as_it_was()
    {
        using var folder = new TempFolder();
        var path = folder.File("m.history.jsonl");
        HistoryFile.Append(path, Record(0, "v1", path));
        HistoryFile.Append(path, Record(60, "v2", path));
        var before = File.ReadAllBytes(path);

        var again = () => HistoryFile.Append(path, Record(20, "v2", path));

        again.Should().Throw<OnePixelException>().WithMessage($"{path}: already holds a record labelled 'v2'; a version is recorded once*");
        File.ReadAllBytes(path).Should().Equal(before);
        File.ReadAllLines(path).Should().HaveCount(2);
        HistoryFile.Read(path).Select(r => r.Label).Should().Equal("v1", "v2");
        Directory.GetFiles(folder.Path).Should().Equal(path); // written atomically: no temporary file left
    }

    [Test]
    public void Fields_a_later_version_adds_are_ignored()
    {
        var line = HistoryFile.ToLine(Record(0, "v1")).Replace("{\"schema\":1,", "{\"schema\":1,\"addedLater\":{\"x\":1},");

        HistoryFile.Parse(line, "m.history.jsonl").Single().Label.Should().Be("v1");
    }

    [Test]
    public void A_damaged_line_is_refused_naming_the_file_the_line_and_the_field()
    {
        var good = HistoryFile.ToLine(Record(0, "v1"));
        var second = HistoryFile.ToLine(Record(60, "v2"));

        Parse(good + "{not json\n").Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: not a history record*");
        Parse(good + second.Replace("\"fooled\":6", "\"fooled\":7")).Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: fooled: says 7, but the results give 6.");
        Parse(good + second.Replace("\"label\":\"v2\",", "")).Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: not a history record*label*");
        Parse(good + second.Replace("\"schema\":1", "\"schema\":2")).Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: schema is 2; this version of onepixel reads schema 1.");
        Parse(good + good).Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: label 'v1' is already used by line 1*");
        Parse(good + second.Replace("\"image-3\",\"sha256\":\"", "\"image-3\",\"sha256\":\"0")).Should().Throw<OnePixelException>().WithMessage("h.jsonl:2: imageSet.sha256: says *, but the results' names, contents and labels give *");
    }

    [Test]
    public void Paths_are_written_relative_to_the_history_file_unless_they_share_nothing_but_the_root()
    {
        HistoryFile.RelativeTo("/repo/models/m.history.jsonl", "/repo/samples/images/a").Should().Be("../samples/images/a");
        HistoryFile.RelativeTo("/repo/models/m.history.jsonl", "/repo/models/m.onnx").Should().Be("m.onnx");
        HistoryFile.RelativeTo("/repo/models/m.history.jsonl", "/usr/share/datasets/x.gz").Should().Be("/usr/share/datasets/x.gz");
        HistoryFile.Resolve("/repo/models/m.history.jsonl", "../samples/images/a").Should().Be("/repo/samples/images/a");
        HistoryFile.Resolve("/repo/models/m.history.jsonl", "/usr/share/datasets/x.gz").Should().Be("/usr/share/datasets/x.gz");
    }

    [Test]
    public void A_classifier_made_in_code_and_images_made_in_memory_keep_their_names()
    {
        var record = Record(0, "v1");

        record.Model.Path.Should().Be("/models/model-v0.onnx", "no such file: a name, not a path to relocate");
        record.ImageSet.Source.Should().Be("ten images");
    }

    [TestCase("2026-11-29", "2026-11-29")]
    [TestCase("2026-11-29T22:35:00+01:00", "2026-11-29T21:35:00Z")]
    [TestCase("2026-11-29T21:35:00Z", "2026-11-29T21:35:00Z")]
    public void A_date_is_kept_as_a_day_or_an_instant_in_UTC(string given, string kept)
    {
        HistoryFile.ParseDate(given).Should().Be(kept);
    }

    [Test]
    public void Anything_else_as_a_date_is_refused()
    {
        var act = () => HistoryFile.ParseDate("last tuesday");

        act.Should().Throw<OnePixelException>().WithMessage("--date: expected a date such as 2026-11-29 or 2026-11-29T21:35:00Z, found 'last tuesday'.");
    }

    [Test]
    public void A_missing_history_says_how_to_start_one()
    {
        var act = () => HistoryFile.Read("/nowhere/m.history.jsonl");

        act.Should().Throw<OnePixelException>().WithMessage("/nowhere/m.history.jsonl: history file not found. Start one with `onepixel history add --history /nowhere/m.history.jsonl --label LABEL --model MODEL`*");
    }

    private static Func<IReadOnlyList<HistoryRecord>> Parse(string text) => () => HistoryFile.Parse(text, "h.jsonl");
}
