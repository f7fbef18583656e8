using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

public class ReportCommandTests
{
    private static string Attack(TempFolder folder)
    {
        var json = folder.File("report.json");
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--json", json).ExitCode.Should().Be(ExitCodes.GateFails);
        return json;
    }

    [Test]
    public void Without_an_output_file_the_markdown_should_go_to_standard_output()
    {
        using var folder = new TempFolder();
        var json = Attack(folder);

        var result = Cli.Run("report", json, "--max-success-rate", "0.5");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("| gate | **FAIL**: success rate 100.0 % > 50.0 % |").And.Contain("| off | on | 4 |");
    }

    [Test]
    public void The_html_report_should_reload_the_images_and_draw_each_fooled_one()
    {
        using var folder = new TempFolder();
        var json = Attack(folder);

        var result = Cli.Run("report", json, "--html", folder.File("report.html"));

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        var html = File.ReadAllText(folder.File("report.html"));
        Regex.Count(html, "<img src=\"data:image/png;base64,").Should().Be(5);
        html.Should().Contain("<svg").And.Contain("Which classes turn into which");
    }

    [Test]
    public void Images_that_cannot_be_found_should_exit_2_asking_for_them()
    {
        using var folder = new TempFolder();
        var json = Attack(folder);
        File.WriteAllText(json, File.ReadAllText(json).Replace("samples/images/testing-8x8", "samples/images/moved-away"));

        var result = Cli.Run("report", json, "--html", folder.File("report.html"));

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("summary.imageSource").And.Contain("moved-away").And.Contain("--images");
        File.Exists(folder.File("report.html")).Should().BeFalse();
    }

    [Test]
    public void A_report_of_another_schema_version_should_exit_2_naming_the_file()
    {
        using var folder = new TempFolder();
        var json = Attack(folder);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));

        var result = Cli.Run("report", json);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain($"{json}: schemaVersion is 2; this version of onepixel reads schema 1");
    }

    [Test]
    public void A_report_with_a_mistyped_field_should_exit_2_naming_the_field()
    {
        using var folder = new TempFolder();
        var json = Attack(folder);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"budget\": 400", "\"budget\": \"400\""));

        var result = Cli.Run("report", json);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain($"{json}: summary.budget: expected a whole number, found the string \"400\"");
    }

    [Test]
    public void A_file_that_is_not_json_should_exit_2()
    {
        using var folder = new TempFolder();
        var path = folder.Write("notes.json", "fooled: lots");

        var result = Cli.Run("report", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain($"{path}: not a JSON report");
    }

    [Test]
    public void A_report_file_that_does_not_exist_should_exit_2()
    {
        var result = Cli.Run("report", "no-such-report.json");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("no-such-report.json: report file not found");
    }
}
