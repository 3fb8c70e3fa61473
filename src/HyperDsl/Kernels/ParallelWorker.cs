using System;
using System.Diagnostics;
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

    // How long the worker polls for the next request before it sleeps.
    private static readonly long SleepAfterTicks = Stopwatch.Frequency / 1000;

    // How long a poll runs without yielding. After that each poll yields, so that a thread the scheduler has put on the
    // same CPU (both threads polling on one CPU would otherwise each wait a full time slice for the other) can run.
    private static readonly long YieldAfterTicks = Stopwatch.Frequency / 50000;

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

        // The other part takes about as long as this one.
        var poll = new Poll();
        while (Volatile.Read(ref completed) != ticket)
        {
            poll.Next();
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
            // Poll first: in training, the next request comes within microseconds (an optimizer step, a batch to
            // sample). Only a long pause puts the worker to sleep.
            var poll = new Poll();
            while (Volatile.Read(ref requested) == seen && !stopping)
            {
                if (poll.Next() > SleepAfterTicks)
                {
                    wake.Wait();
                    wake.Reset();
                    poll = new Poll();
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

    /// <summary>
    /// A wait by polling, with a PAUSE per poll (Thread.SpinWait(1)) so that a hyperthread sibling keeps the core's
    /// execution units; after a few microseconds each poll also yields the CPU.
    /// </summary>
    private struct Poll()
    {
        private readonly long start = Stopwatch.GetTimestamp();
        private long elapsed;
        private int count;

        /// <summary>Called once per unsuccessful poll; returns the ticks waited so far (updated every 64 polls).</summary>
        public long Next()
        {
            if ((++count & 63) == 0)
            {
                elapsed = Stopwatch.GetTimestamp() - start;
            }

            if (elapsed > YieldAfterTicks)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(1);
            }

            return elapsed;
        }
    }
}
