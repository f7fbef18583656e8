using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// y = max(x, 0). A value whose range over the box stays on one side is exact (x, or 0); one that
/// crosses zero gets the triangle relaxation (DeepPoly, Singh et al. 2019): above, the chord
/// y &lt;= u (x - l) / (u - l); below, y &gt;= x or y &gt;= 0, whichever leaves the smaller area.
/// </summary>
internal sealed class ReluLayer(int input, long[] shape) : Layer("Relu", [input], shape)
{
    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        for (var i = 0; i < output.Length; i++) output[i] = Math.Max(x[i], 0);
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var layer = Inputs[0];
        var input = context.States[layer];
        var clean = context.Clean[layer];
        var k = input.K;
        for (var s = 0; s < input.Count; s++)
        {
            var index = input.IndexAt(s);
            var z0 = clean[index];
            var y0 = Math.Max(z0, 0);
            var lower = input.Lower(s);
            var upper = input.Upper(s);
            var (l, u) = context.Range(layer, index);
            if (u <= 0)
            {
                // Always off: y = 0, a change of -y0 (none when the clean value is off too).
                if (y0 == 0) continue;
                var slot = output.Add(index);
                output.Lower(slot)[k - 1] = -y0;
                output.Upper(slot)[k - 1] = -y0;
                output.RelaxationOf(slot) = Relaxation.Constant(-y0);
                continue;
            }
            var o = output.Add(index);
            var outLower = output.Lower(o);
            var outUpper = output.Upper(o);
            if (l >= 0)
            {
                // Always on: y = x.
                lower.CopyTo(outLower);
                upper.CopyTo(outUpper);
                outLower[k - 1] += z0 - y0;
                outUpper[k - 1] += z0 - y0;
                output.RelaxationOf(o) = Relaxation.Linear(s, 1, z0 - y0);
                continue;
            }
            // Upper: the chord through (l, 0) and (u, u), applied to the input's upper bound (the chord rises).
            var slope = u / (u - l);
            for (var c = 0; c < k; c++) outUpper[c] = slope * upper[c];
            outUpper[k - 1] += slope * (z0 - l) - y0;
            // Lower: y >= alpha x for alpha in [0, 1]; 1 or 0, whichever leaves the smaller area. (Tried on
            // fashion-colour32-resnet test-00001: alpha = 1, 0 or the chord's slope everywhere, or 1/0 by the
            // sign at the box's centre; fewer boxes certified. Alpha = 1, 0 or the chord's slope in the last
            // ReLU alone certified none of the boxes this choice left open.)
            var alpha = u > -l ? 1 : 0;
            for (var c = 0; c < k; c++) outLower[c] = alpha * lower[c];
            outLower[k - 1] += alpha * z0 - y0;
            output.RelaxationOf(o) = new Relaxation
            {
                LowerSlot = s, LowerSlope = alpha, LowerShift = alpha * z0 - y0,
                UpperSlot = s, UpperSlope = slope, UpperShift = slope * (z0 - l) - y0,
            };
        }
    }

    public override void Backward(BackSubstitution back) => back.Relaxed(this);
}
