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
        public IReadOnlyList<string> ArgumentsFrom(ModelPreprocessing current)
        {
            var arguments = new List<string>();
            if (Scale != current.Scale) arguments.AddRange(["--scale", Number(Scale)]);
            if (!PerChannel(Mean, current.Channels).SequenceEqual(current.Mean)) arguments.AddRange(["--mean", Numbers(Mean)]);
            if (!PerChannel(Std, current.Channels).SequenceEqual(current.Std)) arguments.AddRange(["--std", Numbers(Std)]);
            return arguments;
        }

        /// <summary>The <c>[RobustnessModel]</c> properties that select it where <paramref name="current"/> is in force (only those that differ), as C#.</summary>
        public string AttributeFrom(ModelPreprocessing current)
        {
            var properties = new List<string>();
            if (Scale != current.Scale) properties.Add($"Scale = {Number(Scale)}");
            if (!PerChannel(Mean, current.Channels).SequenceEqual(current.Mean)) properties.Add($"Mean = [{string.Join(", ", Mean.Select(m => Number(m) + "f"))}]");
            if (!PerChannel(Std, current.Channels).SequenceEqual(current.Std)) properties.Add($"Std = [{string.Join(", ", Std.Select(s => Number(s) + "f"))}]");
            return string.Join(", ", properties);
        }

        /// <summary>The sidecar fields that select it where <paramref name="current"/> is in force, as JSON members.</summary>
        public string SidecarFrom(ModelPreprocessing current)
        {
            var fields = new List<string>();
            if (Scale != current.Scale) fields.Add($"\"scale\": {Number(Scale)}");
            if (!PerChannel(Mean, current.Channels).SequenceEqual(current.Mean)) fields.Add($"\"mean\": [{string.Join(", ", Mean.Select(Number))}]");
            if (!PerChannel(Std, current.Channels).SequenceEqual(current.Std)) fields.Add($"\"std\": [{string.Join(", ", Std.Select(Number))}]");
            return string.Join(", ", fields);
        }

        public bool Matches(ModelPreprocessing current) =>
            Scale == current.Scale && PerChannel(Mean, current.Channels).SequenceEqual(current.Mean) && PerChannel(Std, current.Channels).SequenceEqual(current.Std);
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
        return string.Create(c, $"only {suggestion.CorrectNow} of {suggestion.Images} images are classified correctly with the pixels fed as now (scale {Number(current.Scale)}, mean {Numbers(current.Mean)}, std {Numbers(current.Std)}); ")
            + string.Create(c, $"fed {suggestion.Better.Description} ({arguments}), {suggestion.CorrectBetter} of {suggestion.Images} are. ")
            + $"If the model was trained on {suggestion.Better.Description} inputs, {change}, or put {suggestion.Better.SidecarFrom(current)} in {Path.GetFileName(modelPath)}.json.";
    }

    private static int Correct(IImageClassifier classifier, IReadOnlyList<LabeledImage> images)
    {
        var length = classifier.InputShape.Length;
        var pixels = new byte[images.Count * length];
        for (var i = 0; i < images.Count; i++) images[i].Image.Pixels.CopyTo(pixels.AsSpan(i * length, length));
        var probabilities = new float[images.Count * classifier.ClassCount];
        classifier.Score(pixels, images.Count, probabilities);
        var correct = 0;
        for (var i = 0; i < images.Count; i++)
            if (Probability.TopOne(probabilities.AsSpan(i * classifier.ClassCount, classifier.ClassCount)).Label == images[i].Label) correct++;
        return correct;
    }

    private static IReadOnlyList<float> PerChannel(IReadOnlyList<float> values, int channels) =>
        values.Count == 1 ? Enumerable.Repeat(values[0], channels).ToArray() : values;

    private static string Number(float value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Numbers(IReadOnlyList<float> values) =>
        values.Distinct().Count() == 1 ? Number(values[0]) : string.Join(',', values.Select(Number));
}
