using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

public class MergeCommandTests
{
    // 32 Fashion-MNIST images at a small budget: some fooled (test-00029 on v1, measured), some not, some misclassified.
    private static readonly string[] Run = ["attack", "--model", Repository.FashionV1, "--count", "32", "--budget", "1000", "--quiet", "--max-success-rate", "1"];

    [Test]
    public void Four_shards_merged_should_give_the_report_of_one_unsharded_run()
    {
        using var folder = new TempFolder();
        Cli.Run([.. Run, "--json", folder.File("whole.json")]).ExitCode.Should().Be(ExitCodes.GateHolds);
        for (var i = 1; i <= 4; i++)
            Cli.Run([.. Run, "--shard", $"{i}/4", "--json", folder.File($"shard-{i}.json")]).ExitCode.Should().Be(ExitCodes.GateHolds);

        var merge = Cli.Run("report", "merge", folder.File("shard-3.json"), folder.File("shard-1.json"), folder.File("shard-4.json"), folder.File("shard-2.json"),
            "--json", folder.File("merged.json"), "--max-success-rate", "1");

        merge.ExitCode.Should().Be(ExitCodes.GateHolds, merge.ToString());
        WithoutTimings(File.ReadAllText(folder.File("merged.json"))).Should().Be(WithoutTimings(File.ReadAllText(folder.File("whole.json"))));
        File.ReadAllText(folder.File("whole.json")).Should().Contain("\"fooled\": true", "the comparison should cover fooled images too");
    }

    [Test]
    public void The_merged_gate_should_fail_with_exit_code_1_as_the_unsharded_run_would()
    {
        using var folder = new TempFolder();
        string[] trigger = ["attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet"];
        Cli.Run([.. trigger, "--shard", "1/2", "--json", folder.File("a.json")]);
        Cli.Run([.. trigger, "--shard", "2/2", "--json", folder.File("b.json")]);

        var merge = Cli.Run("report", "merge", folder.File("a.json"), folder.File("b.json"));

        merge.ExitCode.Should().Be(ExitCodes.GateFails, merge.ToString());
        merge.Output.Should().Contain("images attacked: 5 of 5").And.Contain("gate:            FAIL");
    }

    [Test]
    public void A_missing_shard_should_exit_2_naming_it()
    {
        using var folder = new TempFolder();
        for (var i = 1; i <= 3; i += 2)
            Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--shard", $"{i}/3", "--json", folder.File($"{i}.json"));

        var merge = Cli.Run("report", "merge", folder.File("1.json"), folder.File("3.json"));

        merge.ExitCode.Should().Be(ExitCodes.BadInput);
        merge.Error.Should().Contain("shard 2/3 missing");
    }

    [Test]
    public void The_same_shard_twice_should_exit_2()
    {
        using var folder = new TempFolder();
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--shard", "1/2", "--json", folder.File("a.json"));
        File.Copy(folder.File("a.json"), folder.File("copy.json"));

        var merge = Cli.Run("report", "merge", folder.File("a.json"), folder.File("copy.json"));

        merge.ExitCode.Should().Be(ExitCodes.BadInput);
        merge.Error.Should().Contain("is shard 1/2, and so is");
    }

    [Test]
    public void Shards_run_with_different_seeds_should_exit_2()
    {
        using var folder = new TempFolder();
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--shard", "1/2", "--json", folder.File("a.json"));
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--shard", "2/2", "--seed", "7", "--json", folder.File("b.json"));

        var merge = Cli.Run("report", "merge", folder.File("a.json"), folder.File("b.json"));

        merge.ExitCode.Should().Be(ExitCodes.BadInput);
        merge.Error.Should().Contain("b.json: attack settings").And.Contain("seed 7");
    }

    private static string WithoutTimings(string json) => Regex.Replace(json, "\"seconds\": [0-9.eE+-]+,\n *", "");
}
