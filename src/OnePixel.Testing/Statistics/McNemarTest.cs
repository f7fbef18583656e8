namespace OnePixel.Testing.Statistics;

/// <summary>
/// McNemar's exact test (McNemar 1947; the exact form is the sign test on the discordant pairs): two
/// versions judged on the same images, where only the images whose outcome differs say anything about
/// which version is better. Under the null hypothesis each of the n = b + c discordant images is as likely
/// to have flipped one way as the other, so b ~ Binomial(n, 1/2), and the two-sided p-value is the
/// probability of a split at least as uneven as the one seen: min(1, 2 P(X &lt;= min(b, c))). This is the
/// value of scipy.stats.binomtest(b, b + c, 0.5).pvalue.
/// </summary>
public static class McNemarTest
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>
    /// The exact two-sided p-value for <paramref name="b"/> pairs that changed one way and
    /// <paramref name="c"/> the other; 1 when nothing changed (b + c = 0) or the split is even.
    /// Computed in log space, so it neither overflows nor loses the tail for any counts an int holds;
    /// values below the smallest double come out as 0.
    /// </summary>
    public static double ExactTwoSidedPValue(int b, int c)
    {
        if (b < 0 || c < 0)
            throw new ArgumentOutOfRangeException(b < 0 ? nameof(b) : nameof(c), "Counts of discordant pairs are 0 or more.");
        long n = (long)b + c, k = Math.Min(b, c);
        if (n == 0 || 2 * k >= n) return 1.0;

        // P(X <= k) = P(X = k) (1 + r_k + r_k r_(k-1) + ...), with P(X = i - 1) / P(X = i) = i / (n - i + 1) < 1
        // below the mode: the terms fall at least geometrically, so the sum stops once they no longer count
        // (after a few times sqrt(n) terms at most).
        double sum = 1, term = 1;
        for (var i = k; i >= 1; i--)
        {
            term *= (double)i / (n - i + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        var logP = Math.Log(2) + LogHalfBinomial(n, k) + Math.Log(sum);
        return logP >= 0 ? 1.0 : Math.Exp(logP);
    }

    /// <summary>
    /// log P(X = k) for X ~ Binomial(n, 1/2), by Loader's saddle-point form (Loader 2000, "Fast and accurate
    /// computation of binomial probabilities", as in R's dbinom): accurate to a few ulps for any n, where
    /// log C(n, k) - n log 2 from log-gamma values would lose digits to cancellation once n is large.
    /// </summary>
    private static double LogHalfBinomial(long n, long k)
    {
        if (k == 0) return -n * Math.Log(2);
        double half = n / 2.0;
        return StirlingError(n) - StirlingError(k) - StirlingError(n - k) - Deviance(k, half) - Deviance(n - k, half)
            + 0.5 * Math.Log((double)n / ((double)k * (n - k))) - LogSqrtTwoPi;
    }

    /// <summary>log(n!) - [(n + 1/2) log n - n + log sqrt(2 pi)]: the error of Stirling's formula.</summary>
    private static double StirlingError(long n)
    {
        if (n <= 15)
        {
            double logFactorial = 0;
            for (var i = 2; i <= n; i++) logFactorial += Math.Log(i);
            return logFactorial - (n + 0.5) * Math.Log(n) + n - LogSqrtTwoPi;
        }
        // The asymptotic series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7) + 1/(1188n^9): below 1e-16 from n = 16.
        double nn = (double)n * n;
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / 1188 / nn) / nn) / nn) / nn) / n;
    }

    /// <summary>x log(x / m) + m - x, computed without cancellation when x is close to m.</summary>
    private static double Deviance(double x, double m)
    {
        if (Math.Abs(x - m) < 0.1 * (x + m))
        {
            var v = (x - m) / (x + m);
            var s = (x - m) * v;
            var ej = 2 * x * v;
            v *= v;
            for (var j = 1; j < 1000; j++)
            {
                ej *= v;
                var next = s + ej / (2 * j + 1);
                if (next == s) return next;
                s = next;
            }
            return s;
        }
        return x * Math.Log(x / m) + m - x;
    }
}
