using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Reports;

public class JsonReportReaderTests
{
    private static AttackReport Run(AttackOptions options) =>
        new AttackRunner(FunctionClassifier.BrightnessBands(), options).Run(Images.Uniform(6, gray: 40, label: 0), model: new ModelIdentity("models/x.onnx", "ab12"));

    [Test]
    public void A_report_read_back_should_write_the_same_json()
    {
        var json = JsonReport.ToJson(Run(new AttackOptions { Budget = AttackBudget.Queries(400), Seed = 3 }));

        var again = JsonReport.ToJson(JsonReportReader.Parse(json, "report.json"));

        again.Should().Be(json);
    }

    [Test]
    public void A_targeted_strong_search_report_read_back_should_write_the_same_json()
    {
        var options = AttackOptions.StrongSearch(AttackBudget.Queries(400)) with { Mode = AttackMode.EveryTarget };
        var json = JsonReport.ToJson(Run(options) with { Shard = new OnePixel.Testing.Imaging.ImageShard(2, 3) });

        var again = JsonReport.ToJson(JsonReportReader.Parse(json, "report.json"));

        again.Should().Be(json);
    }

    [Test]
    public void A_summary_that_disagrees_with_the_results_should_be_refused()
    {
        var json = JsonReport.ToJson(Run(new AttackOptions { Budget = AttackBudget.Queries(400) }));
        var edited = json.Replace("\"attacked\": 6,", "\"attacked\": 5,");

        var read = () => JsonReportReader.Parse(edited, "report.json");

        read.Should().Throw<OnePixelException>().WithMessage("report.json: summary.attacked: says 5, but the results give 6.");
    }

    [Test]
    public void A_missing_field_should_be_refused_naming_its_path()
    {
        var json = JsonReport.ToJson(Run(new AttackOptions { Budget = AttackBudget.Queries(400) }));
        var edited = json.Replace("\"stopReason\":", "\"reason\":");

        var read = () => JsonReportReader.Parse(edited, "report.json");

        read.Should().Throw<OnePixelException>().WithMessage("report.json: results[0]: expected a field 'stopReason', found none.");
    }
}
