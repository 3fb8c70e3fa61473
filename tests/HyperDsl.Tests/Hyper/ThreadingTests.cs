using System;
using System.Linq;
using HyperDsl.Kernels;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using HyperDsl.Training;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests.Hyper;

/// <summary>Steps on one thread are bit-identical run to run; on two, deterministic, and equal to one thread to rounding.</summary>
[Collection(SequentialCollection.Name)]
public sealed class ThreadingTests(ITestOutputHelper output)
{
    private const int Tasks = 25;
    private const int Samples = 10;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_threads_repeat_exactly_and_match_one_thread_to_rounding(bool chunked)
    {
        float[] once = Gradients(chunked, threads: 1, out float lossOnce);
        float[] again = Gradients(chunked, threads: 1, out float lossAgain);
        float[] parallel = Gradients(chunked, threads: 2, out float lossParallel);
        float[] parallelAgain = Gradients(chunked, threads: 2, out float lossParallelAgain);

        Assert.Contains(once, value => value != 0f);
        Assert.True(once.AsSpan().SequenceEqual(again), "one thread: not bit-identical from run to run");
        Assert.Equal(lossOnce, lossAgain);
        Assert.True(parallel.AsSpan().SequenceEqual(parallelAgain), "two threads: not bit-identical from run to run");
        Assert.Equal(lossParallel, lossParallelAgain);
        Assert.Equal(lossOnce, lossParallel, 5);
        Tolerance.AssertClose(parallel, once.Select(v => (double)v).ToArray(), 1e-5, "two threads against one");
    }

    [Theory]
    [MemberData(nameof(HyperCatalog.Names), MemberType = typeof(HyperCatalog))]
    public void Every_kind_of_hypernetwork_repeats_exactly_on_two_threads_and_matches_one(string name)
    {
        // 1 task leaves the helper no task; 2 and 3 split the tasks evenly and unevenly.
        foreach (int tasks in new[] { 1, 2, 3 })
        {
            float[] once = CatalogGradients(name, tasks, threads: 1, out float lossOnce);
            float[] parallel = CatalogGradients(name, tasks, threads: 2, out float lossParallel);
            float[] parallelAgain = CatalogGradients(name, tasks, threads: 2, out float lossParallelAgain);
            Assert.True(parallel.AsSpan().SequenceEqual(parallelAgain), $"{name}, {tasks} tasks: two threads not bit-identical from run to run");
            Assert.Equal(lossParallel, lossParallelAgain);
            Assert.Equal(lossOnce, lossParallel, 5);
            Tolerance.AssertClose(parallel, once.Select(v => (double)v).ToArray(), 1e-5, $"{name}, {tasks} tasks, two threads against one");
        }
    }

    [Fact]
    public void Adam_on_two_threads_gives_exactly_the_result_of_one()
    {
        var random = new Random(2);
        float[] start = RandomData.Uniform(100_003, -1f, 1f, random);
        float[] gradient = RandomData.Uniform(start.Length, -1f, 1f, random);
        float[] one = (float[])start.Clone();
        float[] two = (float[])start.Clone();
        var single = new Adam(start.Length, learningRate: 0.01f);
        var dual = new Adam(start.Length, learningRate: 0.01f) { Threads = 2 };
        for (int step = 0; step < 3; step++)
        {
            single.Step(one, gradient);
            dual.Step(two, gradient);
        }

        Assert.True(one.AsSpan().SequenceEqual(two));
        dual.Threads = 1;
    }

    [Fact]
    public void A_two_thread_step_allocates_nothing()
    {
        var model = new SineHyper(Tasks, Samples) { Threads = 2 };
        model.Initialize(1);
        var adam = new Adam(SineHyper.ParameterCount) { Threads = 2 };
        (int[] ids, float[] inputs, float[] targets) = Batch();
        void Step()
        {
            model.ComputeGradients(new TaskBatch(ids, inputs, targets, Samples), Loss.MeanSquaredError);
            adam.Step(model.Parameters, model.Gradients);
        }

        // Warm-up: the JIT's tiers, and the workers' first sleep and wake (which creates their events' lock once).
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++)
            {
                Step();
            }

            System.Threading.Thread.Sleep(50);
        }

        // Every thread counts: this one, and each helper thread (which reports its own count).
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long helper = ParallelWorker.Shared.AllocatedBytes;
        for (int i = 0; i < 500; i++)
        {
            Step();
        }

        long allocated = (GC.GetAllocatedBytesForCurrentThread() - caller) + (ParallelWorker.Shared.AllocatedBytes - helper);
        adam.Threads = 1;
        output.WriteLine($"500 two-thread steps (ComputeGradients over 25 tasks × 10 samples and an Adam step) allocated {allocated} bytes on the two threads involved.");
        Assert.Equal(0, allocated);
    }

    private static float[] CatalogGradients(string name, int tasks, int threads, out float loss)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        ((HyperNetworkModel<TinyTarget>)model).Threads = threads;
        model.Initialize(seed: 4);
        var data = new HyperBatchData(reference, tasks, samples: 4, Loss.MeanSquaredError, seed: 6);
        loss = model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
        ((HyperNetworkModel<TinyTarget>)model).Threads = 1;
        return model.Gradients.ToArray();
    }

    private static float[] Gradients(bool chunked, int threads, out float loss)
    {
        HyperNetworkModel<SineNet> model = chunked ? new ChunkedSineHyper(Tasks, Samples) : new SineHyper(Tasks, Samples);
        model.Threads = threads;
        model.Initialize(5);
        (int[] ids, float[] inputs, float[] targets) = Batch();
        loss = model.ComputeGradients(new TaskBatch(ids, inputs, targets, Samples), Loss.MeanSquaredError);
        return model.Gradients.ToArray();
    }

    private static (int[] Ids, float[] Inputs, float[] Targets) Batch()
    {
        var random = new Random(9);
        int[] ids = Enumerable.Range(0, Tasks).Select(t => (t * 7) % 100).ToArray();
        return (ids, RandomData.Uniform(Tasks * Samples, -5f, 5f, random), RandomData.Uniform(Tasks * Samples, -3f, 3f, random));
    }
}

/// <summary>Tests that must not run beside others: they measure the whole process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential";
}
