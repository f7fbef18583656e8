using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>Reading ONNX graphs into the verifier's network: the same outputs as ONNX Runtime, or a refusal that names why.</summary>
public class NetworkModelTests
{
    public static IEnumerable<string> Models() =>
    [
        "models/fashion-cnn-v1.onnx", "models/fashion-cnn-v2.onnx", "models/fashion-colour-cnn.onnx",
        "models/variants/batch1.onnx", "models/variants/external-norm.onnx", "models/variants/flat.onnx", "models/variants/flat3d.onnx",
        "models/variants/multi-output.onnx", "models/variants/nhwc.onnx", "models/variants/probabilities.onnx",
        "models/variants/punctuated.onnx", "models/variants/raw255-nhwc.onnx",
        "models/testing/single-pixel-trigger.onnx", "models/testing/tiny-rgb.onnx", "models/testing/tiny-rgb-graph.onnx",
    ];

    [TestCaseSource(nameof(Models))]
    public void Its_forward_pass_should_give_onnx_runtimes_outputs_on_the_sample_images(string path)
    {
        using var model = LoadedModel.Load(Repository.File(path));
        using var network = NetworkModel.Open(model.Path, model.Options); // checks probe images itself
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);

        network.ParityDifference.Should().BeLessThan(1e-4);
        foreach (var image in images.Images.Take(5))
        {
            var values = network.CleanValues(image.Image.Pixels, out var mismatch);
            mismatch.Should().BeNull(image.Name);
            var scores = values![network.Network.Output];
            Array.IndexOf(scores, scores.Max()).Should().Be(model.Classifier.Classify(image.Image).Label, image.Name);
        }
    }

    [Test]
    public void A_network_that_does_not_match_onnx_runtime_should_be_refused_before_any_certificate()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var model = LoadedModel.Load(path);

        var open = () => NetworkModel.Open(path, model.Options, network =>
        {
            var normalise = network.Layers.OfType<AffineLayer>().First();
            for (var i = 0; i < normalise.Shift.Length; i++) normalise.Shift[i] += 0.01; // the normalisation a little off
        });

        open.Should().Throw<UnsupportedGraphException>().WithMessage("*does not give ONNX Runtime's outputs on probe image*no certificate would be trustworthy*");
    }

    [Test]
    public void An_unsupported_operator_should_fall_back_to_enumeration_with_a_note_naming_it()
    {
        using var model = LoadedModel.Load(Repository.File("models/testing/constant.onnx"));

        using var verifier = OnePixelVerifier.For(model);

        verifier.Method.Should().Be(VerificationMethod.Enumerate);
        verifier.Notes.Should().ContainSingle().Which.Should().Contain("ReduceSum").And.Contain("verified by enumeration");
    }

    [Test]
    public void Asking_for_bounds_on_an_unsupported_graph_should_be_refused_naming_the_operator()
    {
        using var model = LoadedModel.Load(Repository.File("models/testing/constant.onnx"));

        var create = () => OnePixelVerifier.For(model, new VerificationOptions { Method = VerificationMethod.Bounds });

        create.Should().Throw<OnePixelException>().WithMessage("--method bounds:*constant.onnx*ReduceSum*");
    }

    [Test]
    public void A_classifier_made_in_code_should_be_verified_by_enumeration_saying_why()
    {
        using var verifier = OnePixelVerifier.For(Fakes.FunctionClassifier.TriggerPixel(), null, null);

        verifier.Method.Should().Be(VerificationMethod.Enumerate);
        verifier.Notes.Should().ContainSingle().Which.Should().Contain("made in code");
    }

    [Test]
    public void Trailing_affine_layers_should_fold_into_a_head_that_gives_the_scores_of_any_image()
    {
        using var model = LoadedModel.Load(Repository.File("models/testing/tiny-rgb-graph.onnx"));
        using var network = NetworkModel.Open(model.Path, model.Options);
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var net = network.Network;
        var first = network.CleanValues(images.Images[0].Image.Pixels, out _)!;
        var second = network.CleanValues(images.Images[1].Image.Pixels, out _)!;
        var size = first[net.Head].Length;
        double Through(double[] head, int j) => Enumerable.Range(0, size).Sum(i => net.HeadWeights[j * size + i] * head[i]);

        net.Layers[net.Head].Should().BeOfType<MaxPoolLayer>("the head is the last layer that is not affine (then Reshape, Gemm)");
        // The offset found on the first image predicts the second image's scores from its head values.
        for (var j = 0; j < net.Classes; j++)
        {
            var offset = first[net.Output][j] - Through(first[net.Head], j);
            (Through(second[net.Head], j) + offset).Should().BeApproximately(second[net.Output][j], 1e-9);
        }
    }
}
