using System;
using System.Threading;

namespace HyperDsl.Kernels;

/// <summary>Work split in two parts that can run at the same time: part 0 on the calling thread, part 1 on the worker.</summary>
internal interface IPartitionedWork
{
    void Run(int part);
}

/// <summary>
/// One persistent helper thread, so that a step can use a second core without creating a task, a closure or a thread
/// per call: the caller hands over the work, runs part 0 itself, and waits for part 1. The worker spins briefly for
/// the next request (steps come fast) and then sleeps on an event. The process shares one (<see cref="Shared"/>):
/// a model and its optimizer take turns on it, and two helpers spinning at once would take each other's core.
/// </summary>
internal sealed class ParallelWorker : IDisposable
{
    private static readonly Lazy<ParallelWorker> SharedWorker = new(() => new ParallelWorker("HyperDsl worker"));

    // About a millisecond of spinning (Thread.SpinWait(8) is some tens of nanoseconds) before the worker sleeps.
    private const int SpinIterations = 50000;

    private readonly Thread thread;
    private readonly ManualResetEventSlim wake = new(false);
    private IPartitionedWork? work;
    private Exception? failure;
    private int requested;
    private int completed;
    private volatile bool stopping;
    private long allocatedBytes;
    private int busy;

    public ParallelWorker(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>The helper thread every two-thread model and optimizer of the process uses.</summary>
    public static ParallelWorker Shared => SharedWorker.Value;

    /// <summary>Bytes the worker thread has allocated, as of its last completed request (for allocation tests).</summary>
    public long AllocatedBytes => Volatile.Read(ref allocatedBytes);

    /// <summary>Runs both parts and returns when both are done; an exception of either part is rethrown here.</summary>
    public void Run(IPartitionedWork partitioned)
    {
        ObjectDisposedException.ThrowIf(stopping, this);

        // Another thread has the worker: do both parts here, one after the other (the parts are independent, so the
        // result is the same).
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            partitioned.Run(0);
            partitioned.Run(1);
            return;
        }

        try
        {
            RunOnBothThreads(partitioned);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private void RunOnBothThreads(IPartitionedWork partitioned)
    {
        work = partitioned;
        int ticket = Interlocked.Increment(ref requested);
        wake.Set();
        Exception? own = null;
        try
        {
            partitioned.Run(0);
        }
        catch (Exception exception)
        {
            own = exception;
        }

        // The other part takes about as long as this one: a plain spin, without yielding the core.
        while (Volatile.Read(ref completed) != ticket)
        {
            Thread.SpinWait(8);
        }

        work = null;
        Exception? theirs = Interlocked.Exchange(ref failure, null);
        if (own is not null || theirs is not null)
        {
            throw own ?? theirs!;
        }
    }

    public void Dispose()
    {
        stopping = true;
        wake.Set();
        thread.Join();
        wake.Dispose();
    }

    private void Loop()
    {
        int seen = 0;
        while (true)
        {
            // Spin first, without yielding the core: in training, the next request comes within microseconds (an
            // optimizer step, a batch to sample). Only a long pause puts the worker to sleep.
            int iterations = 0;
            while (Volatile.Read(ref requested) == seen && !stopping)
            {
                if (++iterations < SpinIterations)
                {
                    Thread.SpinWait(8);
                }
                else
                {
                    wake.Wait();
                    wake.Reset();
                    iterations = 0;
                }
            }

            if (stopping)
            {
                return;
            }

            seen = Volatile.Read(ref requested);
            try
            {
                work!.Run(1);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Volatile.Write(ref allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            Volatile.Write(ref completed, seen);
        }
    }
}
