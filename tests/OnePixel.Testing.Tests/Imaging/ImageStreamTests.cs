using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Imaging;

/// <summary>Image sets opened as streams: read one image at a time, the same images and reports as loading them whole.</summary>
public class ImageStreamTests
{
    /// <summary>A folder of <paramref name="count"/> 8x8 grayscale PNG files, image i of gray 40 + i, labels alternating 0 and 1.</summary>
    private static void WriteFolder(TempFolder folder, int count)
    {
        var labels = new System.Text.StringBuilder("file,label\n");
        for (var i = 0; i < count; i++)
        {
            ImageFile.SavePng(ByteImage.Filled(FunctionClassifier.Small, (byte)(40 + i)), folder.File($"{i:D3}.png"));
            labels.Append($"{i:D3}.png,{i % 2}\n");
        }
        folder.Write("labels.csv", labels.ToString());
    }

    private static IEnumerable<(string, int, int, byte[])> Contents(IImageSource source) =>
        source.Read().Select(i => (i.Name, i.Label, i.Index, i.Image.Pixels.ToArray()));

    [Test]
    public void A_stream_should_give_the_images_a_load_gives_and_slice_and_shard_alike()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, 10);

        var stream = ImageSetLoader.Open(folder.Path);
        var set = ImageSetLoader.Load(folder.Path);

        stream.Count.Should().Be(10);
        stream.Shape.Should().Be(FunctionClassifier.Small);
        Contents(stream).Should().BeEquivalentTo(Contents(set), o => o.WithStrictOrdering());
        Contents(stream.Slice(3, 4)).Should().BeEquivalentTo(Contents(set.Slice(3, 4)), o => o.WithStrictOrdering());
        Contents(stream.Slice(2, null).Shard(2, 3)).Should().BeEquivalentTo(Contents(set.Slice(2, null).Shard(2, 3)), o => o.WithStrictOrdering());
        stream.Slice(2, null).Shard(2, 3).Count.Should().Be(set.Slice(2, null).Shard(2, 3).Count);
    }

    [Test]
    public void Opening_should_check_labels_and_files_but_read_pixels_only_when_reached()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, 5);
        var stream = ImageSetLoader.Open(folder.Path);
        // Damaged after opening: opening did not read it, and the images before it still come.
        folder.Write("003.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var read = new List<string>();
        var act = () => { foreach (var image in stream.Read()) read.Add(image.Name); };

        act.Should().Throw<OnePixelException>().WithMessage($"*003.png: *expected a*PNG*");
        read.Should().Equal("000.png", "001.png", "002.png");
    }

    [Test]
    public void An_image_of_another_size_should_fail_when_reached_naming_it_and_the_first()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, 3);
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(4, 4, 1), 9), folder.File("002.png"));

        var act = () => ImageSetLoader.Open(folder.Path).Read().ToList();

        act.Should().Throw<OnePixelException>().WithMessage("*image '002.png' is 4x4x1, but '000.png' is 8x8x1*");
    }

    [Test]
    public void Attacking_a_stream_should_give_the_report_of_the_loaded_set()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, 12);
        var model = FunctionClassifier.TriggerPixel();
        var options = new AttackOptions { Seed = 3, Budget = AttackBudget.Queries(300), Threads = 2 };

        var streamed = new AttackRunner(model, options).Run(ImageSetLoader.Open(folder.Path));
        var loaded = new AttackRunner(model, options).Run(ImageSetLoader.Load(folder.Path));

        streamed.Summary.Fooled.Should().BePositive("the trigger pixel is within the search's reach, so the comparison covers fooled images");
        JsonReport.ToJson(streamed, includeTimings: false).Should().Be(JsonReport.ToJson(loaded, includeTimings: false));
    }

    [Test]
    public void A_label_the_model_does_not_have_should_fail_the_stream_naming_the_image()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, 3);
        folder.Write("labels.csv", "file,label\n000.png,0\n001.png,5\n002.png,1\n");

        var act = () => new AttackRunner(FunctionClassifier.TriggerPixel()).Run(ImageSetLoader.Open(folder.Path));

        act.Should().Throw<OnePixelException>().WithMessage("*image '001.png' has label 5, but the model has 2 classes*");
    }

    [Test]
    public void The_runner_should_hold_only_the_images_being_attacked()
    {
        // Images are made as the runner asks for them and watched through weak references. Counted,
        // not timed, so the bounds hold whatever the threads' and the collector's timing: when an image
        // is made, the images made but not yet finished (their results reported) are at most one per
        // worker; every 50 images, after full collections, the finished images still alive are at most
        // two per worker (the image it took last, until it takes the next, and the one its pooled
        // candidate batch held last, until reused); after the run, with its report alive, none is. A
        // runner that read the set whole, buffered it in chunks, or kept images would count dozens.
        const int threads = 2;
        var source = new GeneratedImages(500);
        var progress = new SynchronousProgress(p => source.Finished(p.Latest.Index));

        var report = new AttackRunner(FunctionClassifier.TriggerPixel(), new AttackOptions { Budget = AttackBudget.Queries(30), Threads = threads }).Run(source, progress);

        report.Results.Should().HaveCount(500);
        source.Checks.Should().Be(9);
        source.MostInFlight.Should().BeInRange(1, threads, "images are read as workers reach them, one each");
        TestContext.Out.WriteLine($"most in flight {source.MostInFlight}, most finished and alive {source.MostFinishedAlive}");
        source.MostFinishedAlive.Should().BeLessThanOrEqualTo(2 * threads, "an attacked image is dropped once its worker and its pooled batch move on");
        source.Alive().Should().Be(0, "the report keeps results, not images");
        GC.KeepAlive(report);
    }
    [TestCase(3, 5, "*gave 3 images, but said it holds 5*")]
    [TestCase(6, 5, "*gave more than the 5 images it said it holds*")]
    public void A_source_that_gives_another_number_of_images_than_its_count_should_be_named(int gives, int says, string message)
    {
        var source = new GeneratedImages(gives) { StatedCount = says };

        var act = () => new AttackRunner(FunctionClassifier.TriggerPixel(), new AttackOptions { Budget = AttackBudget.Queries(5), Threads = 1 }).Run(source);

        act.Should().Throw<OnePixelException>().WithMessage("generated: " + message);
    }

    private sealed class GeneratedImages(int count) : IImageSource
    {
        private readonly List<WeakReference<LabeledImage>> _made = [];
        private readonly HashSet<int> _finished = [];

        public string Source => "generated";
        public int? StatedCount { get; init; }
        public int Count => StatedCount ?? count;
        public ImageShape Shape => FunctionClassifier.Small;
        public IReadOnlyList<string>? ClassNames => null;
        public int MostInFlight { get; private set; }
        public int MostFinishedAlive { get; private set; }
        public int Checks { get; private set; }

        public IEnumerable<LabeledImage> Read()
        {
            for (var i = 0; i < count; i++)
            {
                if (i > 0 && i % 50 == 0) CountFinishedAlive();
                var image = new LabeledImage($"g{i}", ByteImage.Filled(Shape, (byte)(i % 200)), 0) { Index = i };
                lock (_finished)
                {
                    _made.Add(new WeakReference<LabeledImage>(image));
                    MostInFlight = Math.Max(MostInFlight, _made.Count - _finished.Count);
                }
                yield return image;
            }
        }

        /// <summary>The attack of image <paramref name="index"/> is over (reported by the runner's progress).</summary>
        public void Finished(int index)
        {
            lock (_finished) _finished.Add(index);
        }

        /// <summary>Images made and still alive after full collections.</summary>
        public int Alive() => AliveAfterCollecting(_ => true);

        private void CountFinishedAlive()
        {
            MostFinishedAlive = Math.Max(MostFinishedAlive, AliveAfterCollecting(i => { lock (_finished) return _finished.Contains(i); }));
            Checks++;
        }

        private int AliveAfterCollecting(Func<int, bool> counted)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            return _made.Where((image, i) => counted(i) && image.TryGetTarget(out _)).Count();
        }
    }

    /// <summary>Reports on the worker's thread as it happens (Progress&lt;T&gt; would post to the thread pool, later).</summary>
    private sealed class SynchronousProgress(Action<AttackProgress> report) : IProgress<AttackProgress>
    {
        public void Report(AttackProgress value) => report(value);
    }
}
