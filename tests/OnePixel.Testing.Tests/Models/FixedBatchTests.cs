using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>A model with its batch fixed at 1 runs batched when output parity proves that safe, and one image per run when not.</summary>
public class FixedBatchTests
{
    [Test]
    public void A_batch_of_one_is_relaxed_after_the_parity_check_and_the_note_says_so()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/variants/batch1.onnx"));

        model.FixedBatch.Should().Be(1);
        model.BatchRelaxed.Should().BeTrue();
        model.Notes.Should().Contain(n => n.Contains("batch fixed at 1 in the model; relaxed to a dynamic batch in memory after a parity check"));
    }

    [Test]
    public void The_relaxed_model_gives_the_probabilities_of_one_run_per_image()
    {
        var path = Repository.File("models/variants/batch1.onnx");
        using var relaxed = OnnxClassifier.Load(path);
        using var kept = OnnxClassifier.Load(path, new ModelOptions { RelaxFixedBatch = false });
        var (pixels, count, _) = CommittedModels.Samples(path, 25);
        var batched = new float[count * 10];
        var single = new float[count * 10];

        relaxed.Score(pixels, count, batched);
        kept.Score(pixels, count, single);

        kept.BatchRelaxed.Should().BeFalse();
        batched.Should().Equal(single, (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Test]
    public void A_graph_that_mixes_the_images_of_a_batch_keeps_its_fixed_batch()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mixing.onnx", TinyOnnx.BatchMixingModel(batch: 1));
        var options = new ModelOptions { ImageShape = new ImageShape(2, 2, 1), Scores = ScoreKind.Logits };

        using var model = OnnxClassifier.Load(path, options);

        model.BatchRelaxed.Should().BeFalse();
        model.Notes.Should().Contain(n => n.Contains("batch fixed at 1 in the model; kept: with a dynamic batch the graph gives different outputs"));
    }

    [Test]
    public void A_kept_fixed_batch_still_scores_every_image_as_if_alone()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mixing.onnx", TinyOnnx.BatchMixingModel(batch: 1));
        using var model = OnnxClassifier.Load(path, new ModelOptions { ImageShape = new ImageShape(2, 2, 1), Scores = ScoreKind.Logits });
        byte[] images = [0, 255, 0, 255, /* second image */ 255, 255, 255, 0];
        var together = new float[8];
        var first = new float[4];

        model.Score(images, 2, together);
        model.Score(images.AsSpan(0, 4), 1, first);

        together.AsSpan(0, 4).ToArray().Should().Equal(first);
    }

    [Test]
    public void The_mlnet_backend_packs_batches_into_the_relaxed_model_too()
    {
        var path = Repository.File("models/variants/batch1.onnx");
        using var model = LoadedModel.Load(path, new ModelOptions { Backend = ScoringBackend.MlNet });

        model.Classifier.Notes.Should().Contain(n => n.Contains("scored by ML.NET (ApplyOnnxModel, a batch per row)"));
    }
}
