using OnePixel.Testing.Assertions;
using OnePixel.Testing.Models;

namespace OnePixel.Testing;

/// <summary>
/// <c>model.Should()</c> for FluentAssertions: <c>model.Should().ResistOnePixelAttacks(budget)</c>.
/// In the OnePixel.Testing namespace, so the README's usings are all a test needs.
/// </summary>
public static class OnePixelAssertionExtensions
{
    public static LoadedModelAssertions Should(this LoadedModel? model) => new(model);

    public static ImageClassifierAssertions Should(this IImageClassifier? classifier) => new(classifier);
}
