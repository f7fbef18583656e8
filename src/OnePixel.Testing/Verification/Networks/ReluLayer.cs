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
        var box = context.Box;
        var k = input.K;
        for (var s = 0; s < input.Count; s++)
        {
            var index = input.IndexAt(s);
            var z0 = clean[index];
            var y0 = Math.Max(z0, 0);
            var lower = input.Lower(s);
            var upper = input.Upper(s);
            var l = z0 + box.Min(lower);
            var u = z0 + box.Max(upper);
            if (u <= 0)
            {
                // Always off: y = 0, a change of -y0 (none when the clean value is off too).
                if (y0 == 0) continue;
                var slot = output.Add(index);
                output.Lower(slot)[k - 1] = -y0;
                output.Upper(slot)[k - 1] = -y0;
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
                continue;
            }
            var slope = u / (u - l);
            for (var c = 0; c < k; c++) outUpper[c] = slope * upper[c];
            outUpper[k - 1] += slope * (z0 - l) - y0;
            if (u > -l)
            {
                lower.CopyTo(outLower);
                outLower[k - 1] += z0 - y0;
            }
            else
            {
                outLower.Clear();
                outLower[k - 1] = -y0;
            }
        }
    }
}
