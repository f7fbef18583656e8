namespace OnePixel.Testing.Attacks;

/// <summary>
/// The workers that attack images, one set per process (<see cref="Shared"/>): every attack run (and
/// every verification) hands its images to it, so runs under way at once (parallel test fixtures,
/// several models) share the processors instead of each taking all of them. Two runs at once then take
/// about as long as the same two in turn, not longer (<c>onepixel bench</c> measures it).
/// </summary>
/// <remarks>
/// Workers take images from the runs in turn, one image at a time, so runs under way at once progress
/// together. A run asks for at most some images at once (<see cref="AttackOptions.Threads"/>); the
/// workers are as many as the processors, or as many as a run asks for when that is more. Results never
/// depend on any of it: each image's search depends only on the seed and its name.
/// </remarks>
public sealed class AttackScheduler
{
    /// <summary>The process's scheduler, with a worker per processor.</summary>
    public static AttackScheduler Shared { get; } = new(Environment.ProcessorCount);

    [ThreadStatic] private static AttackScheduler? _workerOf;

    private readonly object _lock = new(); // a monitor: workers wait on it for work
    private readonly List<Job> _jobs = [];
    private int _workers;
    private int _next; // the job the next free worker looks at first

    /// <param name="workers">Workers to start with (more are started when a run asks for more at once).</param>
    public AttackScheduler(int workers)
    {
        if (workers < 1)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "A scheduler needs at least one worker.");
        MinimumWorkers = workers;
    }

    /// <summary>The workers it keeps at least (started when first needed).</summary>
    public int MinimumWorkers { get; }

    /// <summary>Workers started so far.</summary>
    public int Workers
    {
        get { lock (_lock) return _workers; }
    }

    /// <summary>Images being worked on now, over all runs (for tests).</summary>
    internal int Busy
    {
        get { lock (_lock) return _jobs.Sum(j => j.Running); }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on every item, at most <paramref name="concurrency"/> at once, on the
    /// workers shared with every other run; returns when all are done. The items are taken one at a time
    /// (an image is read when a worker is free for it). Once <paramref name="cancellation"/> is cancelled,
    /// or an item fails, no further item is started; the call returns when those under way are done, then
    /// throws: an <see cref="AggregateException"/> of the failures, else an <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Run<T>(IEnumerable<T> items, int concurrency, Action<T> body, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var job = new Job<T>(items, concurrency, body, cancellation);
        if (_workerOf == this)
        {
            // A run started from inside a worker's item would wait for workers it may be holding: it runs here.
            while (job.RunNext()) { }
        }
        else
        {
            lock (_lock)
            {
                _jobs.Add(job);
                for (var i = _workers; i < Math.Max(MinimumWorkers, concurrency); i++)
                    StartWorker();
                Monitor.PulseAll(_lock);
            }
            try
            {
                job.Finished.Wait(cancellation);
            }
            catch (OperationCanceledException)
            {
                // Items under way stop at their next model call and finish the job; a job that has none
                // under way (all workers busy with other runs) is finished here, not when a worker frees up.
                lock (_lock)
                    if (job.Running == 0 && _jobs.Remove(job))
                        job.Finish();
                job.Finished.Wait();
            }
        }
        job.ThrowIfFailed();
    }

    private void StartWorker()
    {
        _workers++;
        // Started without the current execution context: a worker serves every run, each item in its own run's context.
        new Thread(Work) { IsBackground = true, Name = $"onepixel attack worker {_workers}" }.UnsafeStart();
    }

    private void Work()
    {
        _workerOf = this;
        while (true) WorkOnce();
    }

    /// <summary>One item of the next job in turn. A method of its own, so that nothing of a finished run (its search, its last image) stays referenced from an idle worker's stack.</summary>
    private void WorkOnce()
    {
        Job job;
        lock (_lock)
        {
            while (!TryClaim(out job!)) Monitor.Wait(_lock);
        }
        job.RunNext();
        lock (_lock)
        {
            job.Running--;
            if (job.Stopped && job.Running == 0 && _jobs.Remove(job))
                job.Finish();
            Monitor.PulseAll(_lock); // a slot of that job is free again
        }
    }

    /// <summary>The next job, in turn, that may start another item; its slot is taken. Jobs that stopped with nothing under way are finished here.</summary>
    private bool TryClaim(out Job job)
    {
        for (var i = 0; i < _jobs.Count; i++)
        {
            var index = (_next + i) % _jobs.Count;
            var candidate = _jobs[index];
            if (candidate.Stopped)
            {
                if (candidate.Running == 0)
                {
                    _jobs.RemoveAt(index);
                    candidate.Finish();
                    i--;
                }
                continue;
            }
            if (candidate.Running >= candidate.Concurrency) continue;
            candidate.Running++;
            _next = index + 1;
            job = candidate;
            return true;
        }
        job = null!;
        return false;
    }

    private abstract class Job
    {
        public int Running; // items under way; guarded by the scheduler's lock
        public abstract int Concurrency { get; }
        public ManualResetEventSlim Finished { get; } = new();

        /// <summary>No further item will start: all taken, one failed, or cancelled.</summary>
        public abstract bool Stopped { get; }

        /// <summary>Takes the next item and runs it; false when there was none to run.</summary>
        public abstract bool RunNext();

        /// <summary>
        /// Nothing is under way and nothing will start: the job lets go of its items and its body (a
        /// worker may still hold the job a moment, and the run's search and last image must not stay
        /// alive through it), then its caller is woken.
        /// </summary>
        public void Finish()
        {
            Release();
            Finished.Set();
        }

        protected abstract void Release();

        public abstract void ThrowIfFailed();
    }

    private sealed class Job<T>(IEnumerable<T> items, int concurrency, Action<T> body, CancellationToken cancellation) : Job
    {
        private Action<T>? _body = body;
        // The caller's execution context (its async-locals: a test framework's current test, so that
        // progress written from an item goes to the test that started the run), in which every item runs.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        private readonly Lock _itemsLock = new();
        private IEnumerator<T> _items = items.GetEnumerator();
        private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _failures = new();
        private volatile bool _exhausted;

        public override int Concurrency => concurrency;

        public override bool Stopped => _exhausted || !_failures.IsEmpty || cancellation.IsCancellationRequested;

        public override bool RunNext()
        {
            T item;
            lock (_itemsLock)
            {
                if (Stopped) return false;
                try
                {
                    if (!_items.MoveNext())
                    {
                        _exhausted = true;
                        Drop();
                        return false;
                    }
                    item = _items.Current;
                }
                catch (Exception e)
                {
                    _failures.Enqueue(e);
                    return false;
                }
            }
            var run = _body!; // set until the job finishes, and it cannot finish while this item is under way
            try
            {
                if (_context is null) run(item);
                else ExecutionContext.Run(_context, _ => run(item), null);
            }
            catch (Exception e)
            {
                _failures.Enqueue(e);
            }
            return true;
        }

        public override void ThrowIfFailed()
        {
            Finished.Dispose();
            if (!_failures.IsEmpty) throw new AggregateException(_failures);
            if (!_exhausted)
            {
                lock (_itemsLock) Drop();
                cancellation.ThrowIfCancellationRequested();
            }
        }

        protected override void Release()
        {
            _body = null;
            lock (_itemsLock) Drop();
        }

        /// <summary>Disposes the items' enumerator and lets it go: an iterator keeps its last item (an image) even once disposed.</summary>
        private void Drop()
        {
            _items.Dispose();
            _items = Enumerable.Empty<T>().GetEnumerator();
        }
    }
}
