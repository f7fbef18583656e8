using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Cli.Commands;

/// <summary>
/// The summary's "hint:" line when few images were classified correctly and a usual other way of
/// feeding the pixels classifies far more of them (<see cref="PreprocessingCheck"/>): a model fed the
/// wrong scale looks fragile and inaccurate, and nothing else in the summary says why.
/// </summary>
internal static class PreprocessingHint
{
    public static void Print(TextWriter output, LoadedModel model, IImageSource images, double accuracy)
    {
        if (accuracy >= PreprocessingCheck.LowAccuracy) return;
        var current = model.Classifier.Preprocessing;
        if (PreprocessingCheck.Suggest(model.Path, model.Options, model.Classifier, current, images.Read()) is { } suggestion)
            output.WriteLine($"hint:            {PreprocessingCheck.Describe(suggestion, current, model.Path, "run with " + string.Join(' ', suggestion.Better.ArgumentsFrom(current)))}");
    }
}
