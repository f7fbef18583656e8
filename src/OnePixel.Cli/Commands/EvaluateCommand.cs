using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel evaluate`: how much of the truth each search finds. Exact verification says which
/// images are vulnerable; each search at each budget says which it fooled; recall is the ratio.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var budgets = new Option<string>("--budgets") { Description = "Query budgets per image to measure, comma separated.", DefaultValueFactory = _ => "400,1000,4000,40401" };
        var searches = new Option<string>("--searches") { Description = "Searches to measure: de (the paper's), extremes-de.", DefaultValueFactory = _ => "de,extremes-de" };
        var seed = new Option<ulong>("--seed") { Description = "Fixes every search.", DefaultValueFactory = _ => AttackOptions.DefaultSeed };
        var json = new Option<string?>("--json") { Description = "Write the recall table (JSON) to this file." };

        var command = new Command("evaluate", "Measure searches against the exhaustive ground truth: recall as a function of the query budget.") { model };
        settings.AddModelAndImageOptionsTo(command);
        foreach (var option in new Option[] { budgets, searches, seed, json })
            command.Options.Add(option);

        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            AttackSettings.CheckOutputs(parse, json);
            var budgetList = AttackSettings.ParseFloats(parse.GetValue(budgets)!, "--budgets").Select(b => (int)b).ToList();
            foreach (var b in budgetList) AttackBudget.Queries(b); // refuses a budget too small, naming it
            var searchList = parse.GetValue(searches)!.Split(',').Select(s => (Name: s.Trim(), Kind: AttackSettings.ParseSearch(s.Trim(), "--searches"))).ToList();
            var overrides = settings.ModelOverrides(parse);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            var set = settings.LoadImages(parse, loaded, overrides).ToImageSet();
            var threads = parse.GetValue(settings.Threads);

            // The ground truth is onepixel verify's: bounds where the graph allows (exact for RGB too), else enumeration.
            using var verifier = OnePixelVerifier.For(loaded, new VerificationOptions { Threads = threads });
            cli.Error.WriteLine($"ground truth: verification of {set.Count} images ({(verifier.Method == VerificationMethod.Bounds ? "bounds" : "enumeration")})...");
            var truth = verifier.Verify(set, cancellation: cli.Cancellation);
            cli.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {truth.Vulnerable} of {truth.Checked} correctly classified images are vulnerable ({truth.Seconds:F1} s, {truth.Queries:N0} queries){(truth.Exact ? "" : "; RGB: grid only, not exact")}"));

            var rows = SearchEvaluation.Measure(loaded.Classifier, set, truth,
                searchList.Select(s => (s.Name, (Func<AttackBudget, AttackOptions>)(b => (s.Kind == SearchKind.ExtremesThenEvolution ? AttackOptions.StrongSearch(b) : AttackOptions.PaperSearch(b)) with { Threads = threads }))),
                budgetList, parse.GetValue(seed),
                new Progress<SearchRecall>(r => cli.Error.WriteLine($"  {r.Search} at {r.Budget}: {r.Found}/{r.Vulnerable}")), cli.Cancellation);

            var c = CultureInfo.InvariantCulture;
            cli.Output.WriteLine(string.Create(c, $"model {loaded.Path}, images {set.Source} ({set.Count}), seed {parse.GetValue(seed)}; vulnerable by exhaustive search: {truth.Vulnerable} of {truth.Checked}"));
            cli.Output.WriteLine("| search | budget | found | recall | false finds | queries | seconds |");
            cli.Output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in rows)
                cli.Output.WriteLine(string.Create(c, $"| {r.Search} | {r.Budget:N0} | {r.Found}/{r.Vulnerable} | {r.Recall:F2} | {r.FalseFinds} | {r.Queries:N0} | {r.Seconds:F1} |"));
            if (parse.GetValue(json) is { } path)
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { model = loaded.Identity, images = set.Source, vulnerable = truth.Vulnerable, @checked = truth.Checked, rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) + "\n");
            return rows.Any(r => r.FalseFinds > 0) ? ExitCodes.GateFails : ExitCodes.GateHolds;
        }));
        return command;
    }
}
