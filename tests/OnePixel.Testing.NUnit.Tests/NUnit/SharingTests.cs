using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

public class SharingTests
{
    [Test]
    public void A_model_is_created_once_for_every_test_that_declares_it_even_in_parallel()
    {
        using var work = new TempFolder();

        var run = FixtureRun.Of<SharedInParallel>(work.Path);

        run.Cases.Should().HaveCount(10).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        CountedClassifier.Instances.Should().Be(1);
    }
}
