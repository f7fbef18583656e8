namespace OnePixel.Testing.Models;

/// <summary>What runs an ONNX model's forward pass.</summary>
public enum ScoringBackend
{
    /// <summary>ONNX Runtime directly: batched runs over pinned buffers. The default: it measures fastest (README, Performance).</summary>
    OnnxRuntime,

    /// <summary>ML.NET: <c>MLContext.Transforms.ApplyOnnxModel</c> (Microsoft.ML.OnnxTransformer) for .onnx files; a .zip file is always an ML.NET model.</summary>
    MlNet,
}

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionDevice
{
    /// <summary>The CPU (default).</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through ONNX Runtime's CUDA execution provider; falls back to the CPU, with a note, where none is usable.</summary>
    Cuda,
}
