using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The `onepixel` arguments that repeat a run: every setting that decides its outcome, written the way
/// the command line reads it. Failure messages (reproduce commands) and refresh commands (baselines)
/// are built from here, so the command a message prints runs what the test ran.
/// </summary>
public static class CommandLineArguments
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The attack's settings: budget and population (or --paper), seed, pixels, mode, search and fitness.</summary>
    public static void AppendAttack(StringBuilder text, AttackBudget budget, AttackOptions options)
    {
        text.Append(budget == AttackBudget.Paper
            ? " --paper"
            : string.Create(Invariant, $" --budget {budget.MaxQueries} --population {budget.Population}"));
        text.Append(string.Create(Invariant, $" --seed {options.Seed}"));
        if (options.Pixels != 1) text.Append(string.Create(Invariant, $" --pixels {options.Pixels}"));
        if (options.Mode == AttackMode.Targeted) text.Append(string.Create(Invariant, $" --target {options.Target}"));
        if (options.Mode == AttackMode.EveryTarget) text.Append(" --targeted");
        if (options.Search == SearchKind.ExtremesThenEvolution) text.Append(" --search extremes-de");
        // A fitness other than its search's default is part of the run (the command line defaults the same way).
        if (options.Fitness != AttackOptions.DefaultFitness(options.Search))
            text.Append(" --fitness ").Append(FitnessName(options.Fitness));
    }

    /// <summary>
    /// How the model was fed, every field given explicitly (--input, --output-name, --layout, --size,
    /// --scale, --mean, --std, --output, --backend): the command then does not depend on a sidecar
    /// that may be missing, or say something else, where it is run.
    /// </summary>
    public static void AppendPreprocessing(StringBuilder text, ModelPreprocessing p)
    {
        text.Append(" --input ").Append(Quote(p.InputName));
        text.Append(" --output-name ").Append(Quote(p.OutputName));
        text.Append(" --layout ").Append(p.Layout);
        text.Append(" --size ").Append(p.Shape.ToString());
        text.Append(" --scale ").Append(ModelPreprocessing.Number(p.Scale));
        text.Append(" --mean ").Append(ModelPreprocessing.CommaList(p.Mean));
        text.Append(" --std ").Append(ModelPreprocessing.CommaList(p.Std));
        text.Append(" --output ").Append(p.OutputKind);
        text.Append(" --backend ").Append(p.Backend);
    }

    /// <summary>
    /// The images: --images (and --labels for IDX files) and the selection of the source's positions
    /// that was attacked: --skip/--count for a contiguous run, plus --shard 1/N for every N-th image, else --indices.
    /// </summary>
    public static void AppendImages(StringBuilder text, string source, string? labels, IEnumerable<int> positions)
    {
        text.Append(" --images ").Append(Quote(source));
        if (labels is not null) text.Append(" --labels ").Append(Quote(labels));
        AppendSelection(text, positions.Distinct().Order().ToList());
    }

    /// <summary>The arguments that select exactly <paramref name="positions"/> (ascending) of a source.</summary>
    public static void AppendSelection(StringBuilder text, IReadOnlyList<int> positions)
    {
        if (positions.Count == 0) return;
        var first = positions[0];
        var step = positions.Count > 1 ? positions[1] - first : 1;
        var evenlySpaced = positions.Select((p, i) => p == first + i * step).All(same => same);
        if (!evenlySpaced)
        {
            text.Append(" --indices ").Append(ImageSelection.FormatIndices(positions));
            return;
        }
        if (first > 0) text.Append(string.Create(Invariant, $" --skip {first}"));
        text.Append(string.Create(Invariant, $" --count {positions[^1] - first + 1}"));
        // Every step-th image from the first: shard 1 of step after skipping to the first.
        if (step > 1) text.Append(string.Create(Invariant, $" --shard 1/{step}"));
    }

    public static string FitnessName(FitnessKind fitness) => fitness == FitnessKind.Margin ? "margin" : "probability";

    /// <summary>A path or name as a shell reads it: single-quoted when it holds anything but safe characters.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '+' or '=' or ',' or '@' or '%')
            ? value
            : $"'{value.Replace("'", "'\\''")}'";
}
