using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>Models shared by a suite's tests, keyed by their file's identity: a changed file is loaded again, a failed load is not kept.</summary>
public class SharedModelTests
{
    private TempFolder _folder = null!;
    private string _model = null!;

    [SetUp]
    public void CopyAModel()
    {
        _folder = new TempFolder();
        _model = _folder.File("model.onnx");
        File.Copy(Repository.File("models/testing/single-pixel-trigger.onnx"), _model);
    }

    [TearDown]
    public void Clean() => _folder.Dispose();

    private ModelDeclaration Declared() =>
        ModelDeclaration.From(new RobustnessModelAttribute(_model) { Images = Path.Combine(AppContext.BaseDirectory, "Images") }, typeof(GateHolds).Assembly);

    /// <summary>Writes other bytes over the model, with a later write time (file systems keep coarse times).</summary>
    private void Replace(string with)
    {
        var previous = File.GetLastWriteTimeUtc(_model);
        File.Copy(Repository.File(with), _model, overwrite: true);
        File.SetLastWriteTimeUtc(_model, previous.AddSeconds(2));
    }

    [Test]
    public void A_changed_model_file_is_loaded_again_and_the_old_model_disposed_once_its_runs_end()
    {
        var scope = new ModelScope();
        var declared = Declared();
        var loads = SharedModels.Loads;
        using var firstRun = scope.Use(declared);
        var first = firstRun.Model;
        using (var again = scope.Use(declared))
            again.Model.Should().BeSameAs(first, "an unchanged file is not loaded again");

        Replace("models/testing/constant.onnx");
        using var secondRun = scope.Use(declared);

        secondRun.Model.Should().NotBeSameAs(first);
        secondRun.Model.Identity!.Sha256.Should().Be(LoadedModel.Sha256Of(_model)).And.NotBe(first.Identity!.Sha256);
        SharedModels.Loads.Should().Be(loads + 2);
        var alive = SharedModels.Alive;
        firstRun.Dispose(); // the old version's last run ends; the scope already moved to the new one
        SharedModels.Alive.Should().Be(alive - 1, "the old model is disposed once no run uses it");
        scope.End();
    }

    [Test]
    public void The_same_bytes_written_again_keep_the_loaded_model()
    {
        var scope = new ModelScope();
        var declared = Declared();
        using var first = scope.Use(declared);
        var model = first.Model;
        var loads = SharedModels.Loads;

        Replace("models/testing/single-pixel-trigger.onnx"); // a checkout of the same revision: a new write time only
        using var second = scope.Use(declared);

        second.Model.Should().BeSameAs(model);
        SharedModels.Loads.Should().Be(loads);
        scope.End();
    }

    [Test]
    public void A_failed_load_fails_every_run_of_its_scope_and_is_tried_again_once_the_scope_ends()
    {
        File.WriteAllText(_model, "not an ONNX model");
        var declared = Declared();
        var scope = new ModelScope();
        var loads = SharedModels.Loads;

        var load = () => { using var lease = scope.Use(declared); return lease.Model; };

        load.Should().Throw<OnePixelException>().WithMessage($"{_model}: not a loadable ONNX model*");
        load.Should().Throw<OnePixelException>().WithMessage($"{_model}: not a loadable ONNX model*");
        SharedModels.Loads.Should().Be(loads + 1, "the runs of one scope (one test run) get the same failure, without loading again");
        scope.End();

        var next = new ModelScope();
        var retry = () => { using var lease = next.Use(declared); return lease.Model; };
        retry.Should().Throw<OnePixelException>();
        SharedModels.Loads.Should().Be(loads + 2, "the next run tries again");
        next.End();
    }

    [Test]
    public void A_model_is_disposed_when_the_last_suite_holding_it_ends()
    {
        var declared = Declared();
        var (fixture, other) = (new ModelScope(), new ModelScope());
        var alive = SharedModels.Alive;
        SharedModel model;
        using (var run = fixture.Use(declared)) model = run.Model;
        using (var run = other.Use(declared)) run.Model.Should().BeSameAs(model, "suites running at once share one model");
        SharedModels.Alive.Should().Be(alive + 1);

        fixture.End();
        SharedModels.Alive.Should().Be(alive + 1, "the other suite still holds it");
        other.End();

        SharedModels.Alive.Should().Be(alive, "disposed with its last holder (DisposedAtTheEnd shows Dispose is called)");
    }
}
