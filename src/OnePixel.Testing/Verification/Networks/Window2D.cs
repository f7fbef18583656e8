namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// The sliding window of a 2-D convolution or pooling over [channels, height, width] (batch 1):
/// kernel, strides, pads and dilations as ONNX gives them, and which outputs an input value reaches.
/// </summary>
internal sealed record Window2D(int InHeight, int InWidth, int OutHeight, int OutWidth, int KernelH, int KernelW, int StrideH, int StrideW, int PadTop, int PadLeft, int DilationH, int DilationW)
{
    /// <summary>The output row that kernel row <paramref name="kh"/> reads input row <paramref name="ih"/> for, or -1.</summary>
    public int OutRow(int ih, int kh) => Reach(ih + PadTop - kh * DilationH, StrideH, OutHeight);

    /// <summary>The output column that kernel column <paramref name="kw"/> reads input column <paramref name="iw"/> for, or -1.</summary>
    public int OutColumn(int iw, int kw) => Reach(iw + PadLeft - kw * DilationW, StrideW, OutWidth);

    public int InRow(int oh, int kh) => oh * StrideH - PadTop + kh * DilationH;
    public int InColumn(int ow, int kw) => ow * StrideW - PadLeft + kw * DilationW;

    /// <summary>Kernel positions, for sizing the spans below.</summary>
    public int KernelSize => KernelH * KernelW;

    /// <summary>
    /// The outputs (oh * OutWidth + ow) that read input (<paramref name="ih"/>, <paramref name="iw"/>),
    /// each with the kernel position (i * KernelW + j) it is read at; returns how many were written.
    /// </summary>
    public int Reached(int ih, int iw, Span<(int Position, int Kernel)> outputs)
    {
        var n = 0;
        for (var i = 0; i < KernelH; i++)
        {
            var oh = OutRow(ih, i);
            if (oh < 0) continue;
            for (var j = 0; j < KernelW; j++)
            {
                var ow = OutColumn(iw, j);
                if (ow >= 0) outputs[n++] = (oh * OutWidth + ow, i * KernelW + j);
            }
        }
        return n;
    }

    /// <summary>
    /// The inputs (ih * InWidth + iw) that output (<paramref name="oh"/>, <paramref name="ow"/>) reads,
    /// padding left out, each with its kernel position; returns how many were written.
    /// </summary>
    public int Covered(int oh, int ow, Span<(int Position, int Kernel)> inputs)
    {
        var n = 0;
        for (var i = 0; i < KernelH; i++)
        {
            var ih = InRow(oh, i);
            if (ih < 0 || ih >= InHeight) continue;
            for (var j = 0; j < KernelW; j++)
            {
                var iw = InColumn(ow, j);
                if (iw >= 0 && iw < InWidth) inputs[n++] = (ih * InWidth + iw, i * KernelW + j);
            }
        }
        return n;
    }

    private static int Reach(int n, int stride, int limit) => n < 0 || n % stride != 0 || n / stride >= limit ? -1 : n / stride;

    /// <summary>
    /// The output size along one axis (ONNX's formula): floor, or ceil with <paramref name="ceil"/>
    /// (a window that would start in the end padding is dropped, as ONNX Runtime and PyTorch do).
    /// </summary>
    public static int OutputSize(int input, int kernel, int stride, int padBegin, int padEnd, int dilation, bool ceil)
    {
        var span = input + padBegin + padEnd - ((kernel - 1) * dilation + 1);
        var size = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (size - 1) * stride >= input + padBegin) size--;
        return size;
    }
}
