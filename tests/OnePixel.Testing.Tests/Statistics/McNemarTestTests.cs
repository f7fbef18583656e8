using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Tests.Statistics;

public class McNemarTestTests
{
    /// <summary>
    /// Reference p-values computed once, independently, with scipy 1.10.1 (Debian's python3-scipy) and committed as
    /// numbers, so the tests need no scipy:
    /// <code>
    /// /usr/bin/python3 -c "from scipy.stats import binomtest; [print(b, c, repr(binomtest(b, b + c, 0.5).pvalue)) for b, c in [(1,0),(5,0),(6,0),(5,1),(10,2),(38,1),(1,38),(7,3),(12,5),(20,10),(100,70),(500,450),(5000,4800),(0,50),(25,0),(60,40),(2000,1900),(300,200),(50000,49000),(49000,50000),(100000,99000),(1030,0),(17,16),(1000,1000),(3,3)]]"
    /// </code>
    /// (binomtest's two-sided p-value for b of b + c at p = 0.5 is McNemar's exact test).
    /// </summary>
    [TestCase(1, 0, 1.0)]
    [TestCase(5, 0, 0.0625)]
    [TestCase(6, 0, 0.03125)]
    [TestCase(5, 1, 0.21875)]
    [TestCase(10, 2, 0.03857421875)]
    [TestCase(38, 1, 1.4551915228366852e-10)]
    [TestCase(1, 38, 1.4551915228366852e-10)]
    [TestCase(7, 3, 0.34375)]
    [TestCase(12, 5, 0.143463134765625)]
    [TestCase(20, 10, 0.09873714670538905)]
    [TestCase(100, 70, 0.02584438758134164)]
    [TestCase(500, 450, 0.11183864514157854)]
    [TestCase(5000, 4800, 0.04440414879984629)]
    [TestCase(0, 50, 1.7763568394002505e-15)]
    [TestCase(25, 0, 5.960464477539063e-08)]
    [TestCase(60, 40, 0.05688793364098088)]
    [TestCase(2000, 1900, 0.11289365225934905)]
    [TestCase(300, 200, 8.940066542253288e-06)]
    [TestCase(50000, 49000, 0.0014980826229750027)]
    [TestCase(49000, 50000, 0.0014980826229750027)]
    [TestCase(100000, 99000, 0.02512721768836082)]
    [TestCase(1030, 0, 1.73833895195875e-310)]
    [TestCase(17, 16, 1.0)]
    [TestCase(1000, 1000, 1.0)]
    [TestCase(3, 3, 1.0)]
    public void The_p_value_should_be_scipys_binomial_test(int b, int c, double expected)
    {
        var p = McNemarTest.ExactTwoSidedPValue(b, c);

        p.Should().BeApproximately(expected, expected * 1e-9, $"scipy.stats.binomtest({b}, {b + c}, 0.5) gives {expected:R}");
    }

    [Test]
    public void Nothing_that_flipped_should_give_p_1()
    {
        McNemarTest.ExactTwoSidedPValue(0, 0).Should().Be(1.0);
    }

    [Test]
    public void A_split_too_uneven_for_a_double_should_give_0_without_overflow()
    {
        // 2 * 2^-5000: far below the smallest double.
        McNemarTest.ExactTwoSidedPValue(5000, 0).Should().Be(0.0);
        McNemarTest.ExactTwoSidedPValue(int.MaxValue / 2, int.MaxValue / 2 - 100_000).Should().BeInRange(0.0, 1.0);
    }

    [Test]
    public void The_p_value_should_be_symmetric_and_never_above_1()
    {
        for (var b = 0; b <= 40; b++)
        for (var c = 0; c <= 40; c++)
        {
            var p = McNemarTest.ExactTwoSidedPValue(b, c);
            p.Should().Be(McNemarTest.ExactTwoSidedPValue(c, b));
            p.Should().BeInRange(0.0, 1.0);
        }
    }

    [Test]
    public void A_negative_count_should_be_refused()
    {
        var act = () => McNemarTest.ExactTwoSidedPValue(-1, 3);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
