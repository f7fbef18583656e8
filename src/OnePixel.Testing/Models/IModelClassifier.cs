namespace OnePixel.Testing.Models;

/// <summary>
/// A classifier loaded from a model file (.onnx, or an ML.NET .zip), together with what was
/// inferred about it. What <see cref="LoadedModel.Classifier"/> gives, whichever backend scores it.
/// </summary>
public interface IModelClassifier : IImageClassifier
{
    /// <summary>The model file.</summary>
    string Path { get; }

    /// <summary>What was inferred rather than declared, in words, so users can check it.</summary>
    IReadOnlyList<string> Notes { get; }

    /// <summary>Whether the model gives logits (softmax is applied) or probabilities.</summary>
    ScoreKind ScoreKind { get; }

    /// <summary>What runs the forward pass.</summary>
    ScoringBackend Backend { get; }

    /// <summary>How images are fed to the model and its output read: the values in force, recorded in reports and baselines.</summary>
    ModelPreprocessing Preprocessing { get; }
}
