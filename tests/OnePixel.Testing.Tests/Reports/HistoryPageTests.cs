using System.Text.RegularExpressions;
using OnePixel.Testing.History;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Reports;

public class HistoryPageTests
{
    private static HistoryRecord Record(int version, string label) =>
        HistoryFile.RecordOf(ModelVersions.Run(version), ModelVersions.Images(), "/repo/models/m.history.jsonl", label, "2026-11-29");

    [Test]
    public void The_page_draws_every_flipped_image_and_marks_the_significant_changes()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2"), Record(40, "v3")]);

        var html = HistoryPage.Render(trend, "m.history.jsonl", _ => ModelVersions.Images());

        Regex.Count(html, "<img ").Should().Be(6 + 2, "six images newly fooled in v2, two no longer fooled in v3");
        html.Should().Contain("<span class=\"fail\">significant rise</span>").And.Contain("<span class=\"neutral\">not significant</span>")
            .And.Contain("Newly fooled in v2 (6):").And.Contain("No longer fooled in v3 (the pixels that fooled v2) (2):")
            .And.Contain("\u25B2 significant rise").And.Contain("<polygon points=").And.Contain("data-images-loaded");
    }

    [Test]
    public void A_break_is_drawn_and_explained_instead_of_a_comparison()
    {
        var other = HistoryFile.RecordOf(ModelVersions.Run(60, OnePixel.Testing.Attacks.AttackOptions.StrongSearch(OnePixel.Testing.Attacks.AttackBudget.Queries(800))), ModelVersions.Images(), "/repo/models/m.history.jsonl", "v2", "2026-11-30");
        var trend = RobustnessTrend.Of([Record(0, "v1"), other]);

        var html = HistoryPage.Render(trend, "m.history.jsonl", _ => ModelVersions.Images());

        html.Should().Contain("not compared</text>").And.Contain("<span class=\"neutral\">not compared</span>").And.Contain("settings differ: v1 budget 400");
        Regex.Count(html, "<img ").Should().Be(0);
    }

    [Test]
    public void Images_that_do_not_hold_a_flipped_image_are_refused_naming_it()
    {
        var trend = RobustnessTrend.Of([Record(0, "v1"), Record(60, "v2")]);
        var fewer = new OnePixel.Testing.Imaging.ImageSet("fewer", ModelVersions.Images().Images.Skip(1).ToList());

        var act = () => HistoryPage.Render(trend, "m.history.jsonl", _ => fewer);

        act.Should().Throw<OnePixelException>().WithMessage("v2: the images hold no image named 'image-0', which the history lists as flipped*");
    }
}
