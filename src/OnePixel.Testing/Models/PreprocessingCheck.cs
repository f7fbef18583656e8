using System.Globalization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// When most sample images come out misclassified, the usual cause is the pixels the model is fed, not
/// the model: a graph that divides by 255 itself fed 0..1 values, one trained on inputs in -1..1 or
/// normalised with ImageNet's statistics fed plain 0..1. Every robustness figure of such a run is about
/// the wrong inputs. This scores the same images fed the usual other ways and says which one, if any,
/// the model classifies far better, so the user can check their preprocessing first. It suggests; it
/// never changes what the run used (only the user knows how the model was trained).
/// </summary>
public static class PreprocessingCheck
{
    /// <summary>Below this share of images classified correctly the other ways are tried.</summary>
    public const double LowAccuracy = 0.5;

    /// <summary>Images scored per way of feeding them: enough to tell 10% from 90%, few enough to cost a second.</summary>
    public const int MaxImages = 100;

    /// <summary>One way of feeding raw 0..255 pixels: divided by <see cref="Scale"/>, then the mean taken off and divided by the std, per channel.</summary>
    public sealed record Feeding(string Description, float Scale, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
    {
        /// <summary>The command-line options that select it where <paramref name="current"/> is in force (only those that differ).</summary>
        public IReadOnlyList<string> ArgumentsFrom(ModelPreprocessing current) =>
            [.. Differing(current).SelectMany(f => new[] { "--" + f.Field, ModelPreprocessing.CommaList(f.Values) })];

        /// <summary>The <c>[RobustnessModel]</c> properties that select it where <paramref name="current"/> is in force (only those that differ), as C#.</summary>
        public string AttributeFrom(ModelPreprocessing current) =>
            string.Join(", ", Differing(current).Select(f => $"{char.ToUpperInvariant(f.Field[0])}{f.Field[1..]} = {Literal(f, "f")}"));

        /// <summary>The sidecar fields that select it where <paramref name="current"/> is in force, as JSON members.</summary>
        public string SidecarFrom(ModelPreprocessing current) =>
            string.Join(", ", Differing(current).Select(f => $"\"{f.Field}\": {Literal(f, "")}"));

        public bool Matches(ModelPreprocessing current) => !Differing(current).Any();

        /// <summary>A field's value as C# or JSON writes it: the scale a number, mean and std a list (each number followed by <paramref name="suffix"/>).</summary>
        private static string Literal((string Field, IReadOnlyList<float> Values) f, string suffix) =>
            f.Field == "scale" ? ModelPreprocessing.Number(f.Values[0]) : $"[{string.Join(", ", f.Values.Select(v => ModelPreprocessing.Number(v) + suffix))}]";

        /// <summary>The fields ("scale", "mean", "std": the command line's and the sidecar's names) whose values differ from <paramref name="current"/>'s, with this feeding's.</summary>
        private IEnumerable<(string Field, IReadOnlyList<float> Values)> Differing(ModelPreprocessing current)
        {
            if (Scale != current.Scale) yield return ("scale", [Scale]);
            if (!ModelPreprocessing.PerChannel(Mean, 0f, current.Channels).SequenceEqual(current.Mean)) yield return ("mean", Mean);
            if (!ModelPreprocessing.PerChannel(Std, 1f, current.Channels).SequenceEqual(current.Std)) yield return ("std", Std);
        }
    }

    /// <summary>What the check found: the images tried, how many the run's own feeding got right, and the better feeding with its count.</summary>
    public sealed record Suggestion(int Images, int CorrectNow, Feeding Better, int CorrectBetter);

    /// <summary>The usual ways models expect their pixels (exported from PyTorch, Keras, ML.NET): 0..1, 0..255, -1..1, and ImageNet's normalisation for colour.</summary>
    public static IReadOnlyList<Feeding> Usual(int channels)
    {
        var feedings = new List<Feeding>
        {
            new("0..1", 255, [0], [1]),
            new("0..255", 1, [0], [1]),
            new("-1..1", 255, [0.5f], [0.5f]),
        };
        if (channels == 3) feedings.Add(new("ImageNet-normalised", 255, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]));
        return feedings;
    }

    /// <summary>
    /// Tries the usual other feedings of <paramref name="images"/> (the first <see cref="MaxImages"/>)
    /// on the model at <paramref name="modelPath"/>, opened with <paramref name="options"/> but for scale,
    /// mean and std, when <paramref name="classifier"/> (the run's) classifies fewer than
    /// <see cref="LowAccuracy"/> of them correctly. Returns the feeding that classifies the most, when it
    /// gets at least half of them right and half as many again as the run's own; else null.
    /// </summary>
    public static Suggestion? Suggest(string modelPath, ModelOptions options, IModelClassifier classifier, ModelPreprocessing current, IEnumerable<LabeledImage> images)
    {
        var sample = images.Take(MaxImages).ToList();
        if (sample.Count == 0) return null;
        var correctNow = Correct(classifier, sample);
        if (correctNow >= LowAccuracy * sample.Count) return null;
        Suggestion? best = null;
        foreach (var feeding in Usual(current.Channels))
        {
            if (feeding.Matches(current)) continue;
            using var other = LoadedModel.Open(modelPath, options with { Scale = feeding.Scale, Mean = feeding.Mean, Std = feeding.Std });
            var correct = Correct(other, sample);
            if (correct > (best?.CorrectBetter ?? 0)) best = new Suggestion(sample.Count, correctNow, feeding, correct);
        }
        return best is { } b && b.CorrectBetter >= LowAccuracy * sample.Count && b.CorrectBetter >= 1.5 * correctNow ? best : null;
    }

    /// <summary>
    /// A sentence for the user: what the run's feeding got, what the better one gets (named by its
    /// command-line options), and how to select it: <paramref name="change"/> (such as "run with --scale 1"),
    /// or the sidecar's fields.
    /// </summary>
    public static string Describe(Suggestion suggestion, ModelPreprocessing current, string modelPath, string change)
    {
        var c = CultureInfo.InvariantCulture;
        var arguments = string.Join(' ', suggestion.Better.ArgumentsFrom(current));
        return string.Create(c, $"only {suggestion.CorrectNow} of {suggestion.Images} images are classified correctly with the pixels fed as now (scale {ModelPreprocessing.Number(current.Scale)}, mean {Numbers(current.Mean)}, std {Numbers(current.Std)}); ")
            + string.Create(c, $"fed {suggestion.Better.Description} ({arguments}), {suggestion.CorrectBetter} of {suggestion.Images} are. ")
            + $"If the model was trained on {suggestion.Better.Description} inputs, {change}, or put {suggestion.Better.SidecarFrom(current)} in {Path.GetFileName(modelPath)}.json.";
    }

    private static int Correct(IImageClassifier classifier, IReadOnlyList<LabeledImage> images) =>
        images.Count(image => classifier.Classify(image.Image).Label == image.Label);

    /// <summary>"0" for one value on every channel, else "0.485,0.456,0.406".</summary>
    private static string Numbers(IReadOnlyList<float> values) =>
        values.Distinct().Count() == 1 ? ModelPreprocessing.Number(values[0]) : ModelPreprocessing.CommaList(values);
}
