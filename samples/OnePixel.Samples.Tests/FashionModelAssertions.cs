using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;

namespace OnePixel.Samples.Tests;

/// <summary>The same gate with FluentAssertions, and the report it gives back for further checks.</summary>
[Category("Robustness")]
public class FashionModelAssertions
{
    [Test]
    public void The_released_model_resists_one_pixel_attacks()
    {
        using var model = LoadedModel.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "models/fashion-cnn-v1.onnx"));

        var report = model.Should().ResistOnePixelAttacks(AttackBudget.Queries(SampleGate.Budget), pixels: SampleGate.Pixels, maxSuccessRate: SampleGate.MaxSuccessRate).Which;

        report.Summary.Misclassified.Should().BeLessThan(15, "the model should still be accurate on its own sample images");
    }
}
