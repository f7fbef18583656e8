using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel verify-bench`: measures verification by bounds on one model and image set, and checks it
/// against independent evidence in the same run. It prints the seconds per image (median, the figure
/// the targets name), the verdicts, and, on request, enumeration on the same images (the verdicts must
/// agree and the ratio of times is the speed-up) and both searches at the paper's budget on every
/// image the bounds certified (none may be fooled). Every counterexample is scored again by the model.
/// Exit 1 when any of these checks fails: a figure from a broken verifier is not a figure.
/// </summary>
public static class VerifyBenchCommand
{
    public static Command Create(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var enumerate = new Option<bool>("--enumerate") { Description = "Also verify by enumeration (every value for grayscale, the colour grid for RGB): the verdicts must agree; prints the speed-up." };
        var attack = new Option<bool>("--attack") { Description = "Attack every certified image with both searches at the paper's budget (40,401 queries): none may be fooled." };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "Time limit per image for the bounds (undecided images are counted, not hidden)." };
        var threadsPerImage = AttackSettings.ThreadsPerImage();

        var command = new Command("verify-bench", "Measure verification by bounds (seconds per image, verdicts) against enumeration and both searches, on the same images in the same run.") { model };
        settings.AddModelAndImageOptionsTo(command);
        foreach (var option in new Option[] { enumerate, attack, maxSeconds, threadsPerImage })
            command.Options.Add(option);

        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            var overrides = settings.ModelOverrides(parse);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            var threads = parse.GetValue(settings.Threads);
            using var verifier = OnePixelVerifier.For(loaded, new VerificationOptions { Method = VerificationMethod.Bounds, Threads = threads, ThreadsPerImage = parse.GetValue(threadsPerImage), MaxSeconds = parse.GetValue(maxSeconds) });
            var set = settings.LoadImages(parse, loaded, overrides).ToImageSet();
            var c = CultureInfo.InvariantCulture;
            var output = cli.Output;
            output.WriteLine(string.Create(c, $"model {loaded.Path} (sha256 {loaded.Identity.Sha256[..12]}), images {set.Source} ({set.Count}, {set.Shape}), {Environment.ProcessorCount} processors, {threads ?? Environment.ProcessorCount} images at once, {(parse.GetValue(threadsPerImage) is { } perImage ? $"{perImage} threads per image" : "threads per image: what is left over")}, load average {LoadAverage()}"));
            foreach (var note in verifier.Notes) output.WriteLine($"  {note}");

            var bounds = verifier.Verify(set, new Progress<ImageVerification>(r => cli.Error.WriteLine(string.Create(c, $"  {r.Name}: {JsonName(r.Verdict)} ({r.Seconds:F1} s)"))), identity: loaded.Identity);
            var problems = new List<string>();
            var checkedImages = bounds.Results.Where(r => r.Checked).ToList();
            var seconds = checkedImages.Select(r => r.Seconds).Order().ToList();
            output.WriteLine("| image | verdict | seconds | queries | positions certified by bounds | boxes split |");
            output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
            foreach (var r in checkedImages)
                output.WriteLine(string.Create(c, $"| {r.Name} | {JsonName(r.Verdict)}{(r.Counterexample is { } p ? $" {p}" : "")} | {r.Seconds:F2} | {r.Queries:N0} | {r.PositionsCertifiedByBounds:N0} | {r.BoxesSplit:N0} |"));
            output.WriteLine(string.Create(c, $"bounds: {checkedImages.Count} correctly classified images: {Count(checkedImages, VerificationVerdict.Certified)} certified, {Count(checkedImages, VerificationVerdict.Counterexample)} with a counterexample, {Count(checkedImages, VerificationVerdict.Undecided)} undecided; seconds per image median {Median(seconds):F2}, max {(seconds.Count == 0 ? 0 : seconds[^1]):F2}; wall {bounds.Seconds:F1} s; {bounds.Queries:N0} queries"));

            // Every counterexample is the model's own verdict.
            foreach (var r in bounds.Results.Where(r => r.Vulnerable))
                if (loaded.Classifier.Classify(set.Images.Single(i => i.Index == r.Index).Image.With([r.Counterexample!])).Label == r.Label)
                    problems.Add($"{r.Name}: the counterexample {r.Counterexample} does not fool the model when scored again");

            if (parse.GetValue(enumerate))
            {
                var byEnumeration = new ExhaustiveVerifier(loaded.Classifier, new VerificationOptions { Method = VerificationMethod.Enumerate, Threads = threads }).Verify(set);
                var disagreements = 0;
                foreach (var (b, e) in bounds.Results.Zip(byEnumeration.Results))
                {
                    if (!b.Checked || b.Verdict == VerificationVerdict.Undecided) continue;
                    // Grayscale enumeration is exact: verdicts must be equal. On RGB only its counterexamples are proof: none may sit on a certified image.
                    var disagree = e.Exact ? b.Vulnerable != e.Vulnerable : e.Vulnerable && !b.Vulnerable;
                    if (!disagree) continue;
                    disagreements++;
                    problems.Add($"{b.Name}: bounds say {JsonName(b.Verdict)}, enumeration says {JsonName(e.Verdict)}{(e.Counterexample is { } p ? $" ({p})" : "")}");
                }
                var enumerated = byEnumeration.Results.Where(r => r.Checked).Select(r => r.Seconds).Order().ToList();
                output.WriteLine(string.Create(c, $"enumeration ({(byEnumeration.Exact ? "exact" : "colour grid, not exact")}): {byEnumeration.Vulnerable} with a counterexample; seconds per image median {Median(enumerated):F2}; wall {byEnumeration.Seconds:F1} s; {byEnumeration.Queries:N0} queries; disagreements with bounds {disagreements}"));
                output.WriteLine(string.Create(c, $"speed-up of bounds over enumeration: {byEnumeration.Seconds / Math.Max(bounds.Seconds, 1e-9):F1}x wall, {Median(enumerated) / Math.Max(Median(seconds), 1e-9):F1}x median per image"));
            }

            if (parse.GetValue(attack))
            {
                var certified = bounds.Results.Where(r => r.Verdict == VerificationVerdict.Certified).Select(r => set.Images.Single(i => i.Index == r.Index)).ToList();
                if (certified.Count == 0) output.WriteLine("attacks: no certified image to attack");
                else foreach (var (name, options) in new[] { ("de", AttackOptions.PaperSearch(AttackBudget.Paper)), ("extremes-de", AttackOptions.StrongSearch(AttackBudget.Paper)) })
                {
                    var report = new AttackRunner(loaded.Classifier, options with { Threads = threads }).Run(new ImageSet(set.Source, certified, set.ClassNames));
                    foreach (var r in report.Results.Where(r => r.Fooled))
                        problems.Add($"{r.Name}: certified, yet {name} fooled it with {string.Join(", ", r.Pixels)}");
                    output.WriteLine(string.Create(c, $"{name} at the paper's budget on the {certified.Count} certified images: {report.Summary.Fooled} fooled ({report.Summary.Seconds:F1} s)"));
                }
            }

            foreach (var problem in problems) output.WriteLine($"PROBLEM: {problem}");
            output.WriteLine(problems.Count == 0 ? "checks: all hold" : $"checks: {problems.Count} failed");
            return problems.Count == 0 ? ExitCodes.GateHolds : ExitCodes.GateFails;
        }));
        return command;
    }

    private static int Count(IEnumerable<ImageVerification> results, VerificationVerdict verdict) => results.Count(r => r.Verdict == verdict);

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string JsonName(VerificationVerdict verdict) => OnePixel.Testing.Reports.VerificationJson.VerdictName(verdict);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
