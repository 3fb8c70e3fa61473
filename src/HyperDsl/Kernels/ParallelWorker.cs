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
/// the next request (steps come fast) and then sleeps on an event.
/// </summary>
internal sealed class ParallelWorker : IDisposable
{
    private const int SpinIterations = 20000;

    private readonly Thread thread;
    private readonly ManualResetEventSlim wake = new(false);
    private IPartitionedWork? work;
    private Exception? failure;
    private int requested;
    private int completed;
    private volatile bool stopping;
    private long allocatedBytes;

    public ParallelWorker(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Bytes the worker thread has allocated, as of its last completed request (for allocation tests).</summary>
    public long AllocatedBytes => Volatile.Read(ref allocatedBytes);

    /// <summary>Runs both parts and returns when both are done; an exception of either part is rethrown here.</summary>
    public void Run(IPartitionedWork partitioned)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
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

        var spin = default(SpinWait);
        while (Volatile.Read(ref completed) != ticket)
        {
            spin.SpinOnce(sleep1Threshold: -1);
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
            // Spin a little first: in training, the next request comes within microseconds.
            var spin = default(SpinWait);
            int iterations = 0;
            while (Volatile.Read(ref requested) == seen && !stopping)
            {
                if (++iterations < SpinIterations)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
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
