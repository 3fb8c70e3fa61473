using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Kernels;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using HyperDsl.Training;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// Steps on one thread are bit-identical run to run; on two, deterministic, and equal to one thread to rounding —
/// wherever the head is split, and after training has moved θ away from its initial state (biases no longer 0).
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class ThreadingTests(ITestOutputHelper output)
{
    private const int Tasks = 25;
    private const int Samples = 10;

    /// <summary>Where the tests put the head's split: at its first input, in the middle, after its last input.</summary>
    public enum SplitAt
    {
        Start,
        Middle,
        End,
    }

    public static IEnumerable<object[]> KindsAndSplits
        => from object[] name in HyperCatalog.Names
           from SplitAt split in Enum.GetValues<SplitAt>()
           select new object[] { name[0], split };

    [Theory]
    [MemberData(nameof(KindsAndSplits))]
    public void Two_threads_generate_the_W_of_one_after_twelve_Adam_steps_wherever_the_head_is_split(string name, SplitAt split)
    {
        (IHyperModel one, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        (IHyperModel two, _) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        int headInputs = ((HyperDsl.Checkpoints.IHyperCheckpoint)two).Description.HeadInputs;
        two.Threads = 2;
        int headSplit = split switch { SplitAt.Start => 0, SplitAt.Middle => headInputs / 2, _ => headInputs };

        // HeadSplit is a member of the generic base, whose type argument differs across the catalog.
        var property = two.GetType().GetProperty("HeadSplit", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        property.SetValue(two, headSplit);
        Assert.Equal(headSplit, property.GetValue(two));
        try
        {
            TrainSideBySide(one, two, reference, steps: 12);
            AssertSameGeneratedWeights(one, two, reference, $"{name}, head split at input {headSplit} of {headInputs}");
        }
        finally
        {
            two.Threads = 1;
        }
    }

    [Theory]
    [InlineData(typeof(LargeTableHyper))]
    [InlineData(typeof(ManyChunksHyper))]
    public void A_theta_whose_middle_lies_outside_the_head_still_splits_the_head_and_trains_as_one_thread_does(Type type)
    {
        IHyperModel one = Create(type);
        IHyperModel two = Create(type);
        var model = (HyperNetworkModel<SplitTarget>)two;
        var description = ((HyperDsl.Checkpoints.IHyperCheckpoint)two).Description;
        int headInputs = description.HeadInputs;

        // θ's middle is outside the head, yet each thread gets at least a quarter of its inputs.
        long headStart = description.DecoderOffset + (long)description.Head.WeightsOffset;
        long headEnd = headStart + description.Head.WeightsLength;
        int middle = ((IThreadedParameters)two).ParameterSplit;
        Assert.True(middle < headStart || middle >= headEnd, $"θ's middle {middle} lies in the head [{headStart}, {headEnd})");
        Assert.InRange(model.HeadSplit, headInputs / 4, headInputs - (headInputs / 4));
        Assert.InRange(model.HeadSplit, 1, headInputs - 1);

        two.Threads = 2;
        Assert.Equal(2, two.Threads);
        try
        {
            // The reproduction: the same seed, the same 30 batches, Adam with lr 1e-2.
            var random = new Random(11);
            var adamOne = new Adam(one, learningRate: 1e-2f);
            var adamTwo = new Adam(two, learningRate: 1e-2f);
            const int BatchTasks = 8, BatchSamples = 16;
            int[] ids = new int[one.Tasks > 0 ? BatchTasks : 0];
            for (int step = 0; step < 30; step++)
            {
                for (int t = 0; t < ids.Length; t++)
                {
                    ids[t] = random.Next(one.Tasks);
                }

                float[] inputs = RandomData.Uniform(BatchTasks * BatchSamples * 2, -1f, 1f, random);
                float[] targets = RandomData.Uniform(BatchTasks * BatchSamples, -1f, 1f, random);
                float[] conditions = RandomData.Uniform(BatchTasks * one.ConditionSize, -1f, 1f, random);
                var batch = new TaskBatch(ids, inputs, targets, BatchSamples, conditions);
                Assert.Equal(one.ComputeGradients(batch, Loss.MeanSquaredError), two.ComputeGradients(batch, Loss.MeanSquaredError), 4);
                adamOne.Step(one.Parameters, one.Gradients);
                adamTwo.Step(two.Parameters, two.Gradients);
            }

            float[] condition = RandomData.Uniform(one.ConditionSize, -1f, 1f, random);
            float[] expected = new float[SplitTarget.ParameterCount];
            float[] actual = new float[SplitTarget.ParameterCount];
            for (int task = 0; task < Math.Max(1, Math.Min(one.Tasks, 50)); task++)
            {
                ReadOnlySpan<float> embedding = one.Tasks > 0 ? one.TaskEmbeddings.Slice(task * one.EmbeddingSize, one.EmbeddingSize) : default;
                one.GenerateFromEmbedding(embedding, condition, expected);
                two.GenerateFromEmbedding(embedding, condition, actual);
                AssertWithinScale(actual, expected, 1e-4, $"{type.Name}, task {task}");
            }
        }
        finally
        {
            two.Threads = 1;
        }

        static IHyperModel Create(Type type)
        {
            var model = (IHyperModel)Activator.CreateInstance(type, 8, 16)!;
            model.Initialize(3);
            return model;
        }
    }

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

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("Sgd")]
    public void An_optimizer_created_for_a_two_thread_model_gives_exactly_the_result_of_one_thread(string kind)
    {
        var single = new SineHyper(Tasks, Samples);
        var dual = new SineHyper(Tasks, Samples) { Threads = 2 };
        var random = new Random(3);
        float[] start = RandomData.Uniform(SineHyper.ParameterCount, -1f, 1f, random);
        start.CopyTo(single.Parameters);
        start.CopyTo(dual.Parameters);
        IOptimizer forSingle = Create(single);
        IOptimizer forDual = Create(dual);
        try
        {
            for (int step = 0; step < 3; step++)
            {
                float[] gradient = RandomData.Uniform(start.Length, -1f, 1f, random);
                forSingle.Step(single.Parameters, gradient);
                forDual.Step(dual.Parameters, gradient);
            }

            Assert.True(single.Parameters.SequenceEqual(dual.Parameters));
            Assert.False(single.Parameters.SequenceEqual(start), $"{kind} did not move θ");
        }
        finally
        {
            dual.Threads = 1;
        }

        IOptimizer Create(IHyperModel model) => kind switch
        {
            "Adam" => new Adam(model, learningRate: 0.01f),
            "AdamW" => new AdamW(model, learningRate: 0.01f),
            _ => new Sgd(model, learningRate: 0.01f, momentum: 0.9f, nesterov: true),
        };
    }

    [Fact]
    public void The_trainer_refuses_an_optimizer_that_would_not_follow_the_models_threads()
    {
        var model = new SineHyper(Tasks, Samples) { Threads = 2 };
        var other = new SineHyper(Tasks, Samples);
        try
        {
            var options = new TrainerOptions { Steps = 1 };
            var countBased = Assert.Throws<ArgumentException>(() => new Trainer(model, new Adam(SineHyper.ParameterCount), new EmptySampler(), options));
            Assert.Contains("new Adam(model)", countBased.Message);
            var forOther = Assert.Throws<ArgumentException>(() => new Trainer(model, new Adam(other), new EmptySampler(), options));
            Assert.Contains("another model", forOther.Message);
            _ = new Trainer(model, new Adam(model), new EmptySampler(), options);

            // Set after the trainer was made: Run checks again.
            model.Threads = 1;
            var trainer = new Trainer(model, new Sgd(SineHyper.ParameterCount), new EmptySampler(), options);
            model.Threads = 2;
            Assert.Throws<ArgumentException>(() => trainer.Run());
        }
        finally
        {
            model.Threads = 1;
        }
    }

    [Fact]
    public void A_two_thread_step_allocates_nothing()
    {
        var model = new SineHyper(Tasks, Samples) { Threads = 2 };
        model.Initialize(1);
        var adam = new Adam(model);
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
        model.Threads = 1;
        output.WriteLine($"500 two-thread steps (ComputeGradients over 25 tasks × 10 samples and an Adam step) allocated {allocated} bytes on the two threads involved.");
        Assert.Equal(0, allocated);
    }

    /// <summary>Trains two models on the same batches, each with Adam (lr 1e-2) created for it.</summary>
    private static void TrainSideBySide(IHyperModel one, IHyperModel two, ReferenceHyperNetwork reference, int steps)
    {
        one.Initialize(seed: 4);
        two.Initialize(seed: 4);
        var adamOne = new Adam(one, learningRate: 1e-2f);
        var adamTwo = new Adam(two, learningRate: 1e-2f);
        for (int step = 0; step < steps; step++)
        {
            var data = new HyperBatchData(reference, tasks: 3, samples: 4, Loss.MeanSquaredError, seed: 100 + step);
            float lossOne = one.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            float lossTwo = two.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            Assert.Equal(lossOne, lossTwo, 4);
            adamOne.Step(one.Parameters, one.Gradients);
            adamTwo.Step(two.Parameters, two.Gradients);
        }
    }

    /// <summary>W of every task of the table (or of a few conditions), from both models.</summary>
    private static void AssertSameGeneratedWeights(IHyperModel one, IHyperModel two, ReferenceHyperNetwork reference, string what)
    {
        var random = new Random(5);
        float[] expected = new float[one.TargetParameterCount];
        float[] actual = new float[one.TargetParameterCount];
        for (int task = 0; task < Math.Max(1, one.Tasks); task++)
        {
            float[] condition = RandomData.Uniform(reference.ConditionSize, -1f, 1f, random);
            ReadOnlySpan<float> embedding = one.Tasks > 0 ? one.TaskEmbeddings.Slice(task * one.EmbeddingSize, one.EmbeddingSize) : default;
            one.GenerateFromEmbedding(embedding, condition, expected);
            two.GenerateFromEmbedding(embedding, condition, actual);
            AssertWithinScale(actual, expected, 1e-4, $"{what}, task {task}");
        }
    }

    /// <summary>Every element within <paramref name="fraction"/> of the largest |expected|.</summary>
    private static void AssertWithinScale(float[] actual, float[] expected, double fraction, string what)
    {
        double scale = expected.Max(value => Math.Abs((double)value));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(scale > 0, $"{what}: W is all zeros");
        Assert.True(worst <= fraction * scale, $"{what}: two threads' W differs from one thread's by {worst:E2}, {worst / scale:E2} of its largest entry {scale:E2}");
    }

    private static float[] CatalogGradients(string name, int tasks, int threads, out float loss)
    {
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 3, maxSamplesPerTask: 4);
        model.Threads = threads;
        model.Initialize(seed: 4);
        var data = new HyperBatchData(reference, tasks, samples: 4, Loss.MeanSquaredError, seed: 6);
        loss = model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
        model.Threads = 1;
        return model.Gradients.ToArray();
    }

    private static float[] Gradients(bool chunked, int threads, out float loss)
    {
        HyperNetworkModel<SineNet> model = chunked ? new ChunkedSineHyper(Tasks, Samples) : new SineHyper(Tasks, Samples);
        model.Threads = threads;
        model.Initialize(5);
        (int[] ids, float[] inputs, float[] targets) = Batch();
        loss = model.ComputeGradients(new TaskBatch(ids, inputs, targets, Samples), Loss.MeanSquaredError);
        model.Threads = 1;
        return model.Gradients.ToArray();
    }

    private static (int[] Ids, float[] Inputs, float[] Targets) Batch()
    {
        var random = new Random(9);
        int[] ids = Enumerable.Range(0, Tasks).Select(t => (t * 7) % 100).ToArray();
        return (ids, RandomData.Uniform(Tasks * Samples, -5f, 5f, random), RandomData.Uniform(Tasks * Samples, -3f, 3f, random));
    }

    private sealed class EmptySampler : ITaskSampler
    {
        public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
        {
        }
    }
}

/// <summary>Tests that must not run beside others: they measure the whole process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential";
}
