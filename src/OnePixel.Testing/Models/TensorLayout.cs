namespace OnePixel.Testing.Models;

/// <summary>
/// The order in which a model wants an image's values. A flat input ([N, 784], [N, 784, 1]) uses
/// one of these orders with the dimensions collapsed.
/// </summary>
public enum TensorLayout
{
    /// <summary>Channels first: [N, C, H, W] (PyTorch).</summary>
    Nchw,

    /// <summary>Channels last: [N, H, W, C] (Keras, TensorFlow).</summary>
    Nhwc,
}
