using Microsoft.ML.OnnxRuntime;

namespace OnePixel.Testing.Models;

/// <summary>
/// Opening an .onnx file with ONNX Runtime: the session, or the error a file that is not a model
/// gets; CUDA when asked for and usable; the input and output chosen by name; and how messages
/// write shapes and ONNX Runtime's errors.
/// </summary>
internal static class OnnxModelFile
{
    internal const string CudaFallbackNote = "device CUDA requested but not available";

    /// <summary>A session on the file, or an error naming it when ONNX Runtime cannot load it.</summary>
    public static InferenceSession Open(string path, SessionOptions options)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnePixelException($"{path}: not a loadable ONNX model ({FirstLine(e.Message)}); expected an .onnx file exported by PyTorch, tf2onnx, ML.NET or similar.", e);
        }
    }

    /// <summary>
    /// Asks for CUDA; with the CPU build of ONNX Runtime (the package this library references) or no
    /// GPU, ONNX Runtime refuses, and the model runs on the CPU with a note saying why.
    /// </summary>
    internal static bool TryAppendCuda(SessionOptions options, List<string> notes)
    {
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            if (!notes.Any(n => n.StartsWith("device CUDA", StringComparison.Ordinal)))
                notes.Add("device CUDA (GPU 0)");
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (!notes.Any(n => n.StartsWith(CudaFallbackNote, StringComparison.Ordinal)))
                notes.Add($"{CudaFallbackNote} ({FirstLine(e.Message).TrimEnd('.')}); scoring on the CPU. To use a GPU, reference Microsoft.ML.OnnxRuntime.Gpu in place of Microsoft.ML.OnnxRuntime and install CUDA 12 and cuDNN 9.");
            return false;
        }
    }

    /// <summary>The input or output named <paramref name="wanted"/>, or the model's only one; otherwise an error listing them.</summary>
    internal static string ResolveName(string? wanted, IEnumerable<string> available, string kind, string path)
    {
        var names = available.ToList();
        if (wanted is not null)
            return names.Contains(wanted)
                ? wanted
                : throw new OnePixelException($"{path}: no {kind} named '{wanted}'; the model's {kind}s are: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        return names.Count == 1
            ? names[0]
            : throw new OnePixelException($"{path}: the model has {names.Count} {kind}s ({string.Join(", ", names.Select(n => $"'{n}'"))}); name the one to use (sidecar '{kind}Name' or --{kind}).");
    }

    /// <summary>[N, 1, 28, 28]: a shape as messages write it, N for a dynamic dimension.</summary>
    internal static string FormatShape(IEnumerable<int> dims) => $"[{string.Join(", ", dims.Select(d => d > 0 ? d.ToString() : "N"))}]";

    /// <summary>The first line of ONNX Runtime's (often long) message, for one-line errors and notes.</summary>
    internal static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
