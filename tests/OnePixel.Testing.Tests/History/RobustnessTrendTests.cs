using OnePixel.Testing.Attacks;
using OnePixel.Testing.History;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.History;

public class RobustnessTrendTests
{
    private static HistoryRecord Record(int version, string label, AttackOptions? options = null, ModelPreprocessing? preprocessing = null)
    {
        var report = ModelVersions.Run(version, options);
        if (preprocessing is not null) report = report with { Model = report.Model! with { Preprocessing = preprocessing } };
        return HistoryFile.RecordOf(report, ModelVersions.Images(), "/repo/models/m.history.jsonl", label, "2026-11-29");
    }

    private static ModelPreprocessing Fed(float scale) => new()
    {
        InputName = "image", OutputName = "logits", Layout = "nchw", Width = 8, Height = 8, Channels = 1,
        Scale = scale, Mean = [0f], Std = [1f], OutputKind = "probabilities", Backend = "onnxruntime",
    };

    [Test]
    public void Consecutive_versions_are_compared_image_by_image_with_the_paired_test()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2"), Record(0, "v3")]);

        trend.Steps.Should().HaveCount(2).And.AllSatisfy(s => s.Comparable.Should().BeTrue());
        (trend.Steps[0].Paired.NewlyFooled, trend.Steps[0].Paired.NewlyResisting).Should().Be((6, 0));
        trend.Steps[0].Paired.PValue.Should().BeApproximately(0.03125, 1e-15);
        trend.Steps[0].Comparison.NewlyFooled.Should().Equal("image-0", "image-1", "image-2", "image-3", "image-4", "image-5");
        trend.SignificantDirection(trend.Steps[0]).Should().Be(1);
        trend.SignificantDirection(trend.Steps[1]).Should().Be(-1);
        trend.Line().Should().Be("v1 0.0 % -> v2 60.0 % (significant rise, p = 0.0313) -> v3 0.0 % (significant fall, p = 0.0313)");
    }

    [Test]
    public void A_change_of_a_few_images_is_shown_but_not_marked_significant()
    {
        var trend = RobustnessTrend.Of([Record(20, "v1"), Record(40, "v2")]);

        trend.SignificantDirection(trend.Steps[0]).Should().Be(0);
        trend.Line().Should().Be("v1 20.0 % -> v2 40.0 %");
        HistoryTable.StepLine(trend, trend.Steps[0]).Should().Be("v1 -> v2: +20.0 points; 2 newly fooled, 0 newly resisting: McNemar exact p = 0.5, not significant at level 0.05");
    }

    [Test]
    public void The_level_at_which_changes_are_marked_can_be_chosen()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2")], significance: 0.01);

        trend.SignificantDirection(trend.Steps[0]).Should().Be(0, "p = 0.0313 is not below 0.01");
    }

    [Test]
    public void A_record_made_with_other_settings_is_kept_but_breaks_the_trend_instead_of_being_compared()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2", AttackOptions.StrongSearch(AttackBudget.Queries(800))), Record(60, "v3", AttackOptions.StrongSearch(AttackBudget.Queries(800)))]);

        trend.Records.Should().HaveCount(3);
        trend.Steps[0].Comparable.Should().BeFalse();
        trend.Steps[0].Breaks.Should().ContainSingle().Which.Should().StartWith("settings differ: v1 budget 400 (population 10)").And.Contain("v2 budget 800 (population 20)");
        trend.Steps[1].Comparable.Should().BeTrue();
        trend.Line().Should().Be("v1 0.0 % | v2 60.0 % -> v3 60.0 %");
        HistoryTable.StepLine(trend, trend.Steps[0]).Should().StartWith("v1 | v2: not compared: settings differ:");
    }

    [Test]
    public void A_record_made_by_another_engine_version_breaks_the_trend()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1") with { EngineVersion = "0.0.1" }, Record(60, "v2")]);

        trend.Steps[0].Breaks.Should().Equal($"engine version differs: v1 0.0.1, v2 {EngineVersion.Current}");
    }

    [Test]
    public void A_new_version_fed_differently_is_compared_and_the_change_listed()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1", preprocessing: Fed(255)), Record(60, "v2", preprocessing: Fed(1))]);

        trend.Steps[0].Comparable.Should().BeTrue();
        trend.Steps[0].Comparison.PreprocessingChanges.Should().Equal("scale: 255 in v1, 1 in v2");
        HistoryTable.StepLine(trend, trend.Steps[0]).Should().EndWith("; preprocessing changed: scale: 255 in v1, 1 in v2");
    }

    [Test]
    public void The_table_has_a_row_per_version_with_the_change_and_its_test()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2")]);

        var rows = HistoryTable.Rows(trend);

        rows.Should().HaveCount(3);
        rows[2].Should().Equal("v2", "2026-11-29", "model-v60.onnx", "100.0 %", "6 of 10", "60.0 %", "31.3 %..83.2 %", "+60.0 points", "6 / 0", "0.0313 (significant rise)");
        HistoryTable.Markdown(trend, "m.history.jsonl").Should().Contain("| v2 | 2026-11-29 | model-v60.onnx | 100.0 % | 6 of 10 | 60.0 % | 31.3 %..83.2 % | +60.0 points | 6 / 0 | 0.0313 (significant rise) |");
        HistoryTable.Text(trend).Should().EndWith("trend: v1 0.0 % -> v2 60.0 % (significant rise, p = 0.0313)\n");
    }
}
