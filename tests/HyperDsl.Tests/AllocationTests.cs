using System;
using System.Linq;
using HyperDsl.Tests.Hyper;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests;

/// <summary>Forward and Backward allocate nothing: no arrays, closures, boxing or pooled buffers that are not returned.</summary>
public sealed class AllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("SineNet", 10, 5000)]
    [InlineData("SineNet", 130, 1000)]
    [InlineData("MixedNet", 33, 2000)]
    [InlineData("WideNet", 33, 200)]
    [InlineData("GeluNet", 7, 2000)]
    [InlineData("HugeNet", 3, 50)]
    public void Forward_and_backward_allocate_nothing_after_warm_up(string name, int batch, int calls)
    {
        (CompiledNetwork network, ReferenceNetwork reference) = NetworkCatalog.Get(name);
        var random = new Random(5);
        AssertStepsAllocateNothing(network, RandomData.Parameters(reference, random), batch, calls, warmUp: 100, name, random);
    }

    /// <summary>Attention across chunk rows runs between the body and the head on either thread count without allocating.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_step_with_attention_across_chunks_allocates_nothing_after_warm_up(int threads)
    {
        var model = new HyperDsl.Tests.Networks.ChunkAttentionHyper(maxTasks: 3, maxSamplesPerTask: 4);
        model.Initialize(2);
        model.Threads = threads;
        try
        {
            var random = new Random(3);
            int[] ids = { 0, 1, 2 };
            float[] inputs = RandomData.Uniform(3 * 4 * 2, -1f, 1f, random);
            float[] targets = RandomData.Uniform(3 * 4 * 2, -1f, 1f, random);
            float[] weights = new float[HyperDsl.Tests.Networks.ChunkAttentionHyper.TargetParameterCount];
            var adam = new HyperDsl.Training.Adam(model);
            void Step()
            {
                model.ComputeGradients(new TaskBatch(ids, inputs, targets, 4), Loss.MeanSquaredError);
                adam.Step(model.Parameters, model.Gradients);
                model.Generate(1, weights);
            }

            Assert.Equal(0, AllocatedAfterWarmUp(Step, warmUps: 5, calls: 50));
        }
        finally
        {
            model.Threads = 1;
        }
    }

    /// <summary>W assembled from G — in PyTorch's order, or with shared layers — in a step with the regulariser's look-ahead and in Generate.</summary>
    [Theory]
    [InlineData("TorchOrderChunkedHyper", 1)]
    [InlineData("TorchOrderChunkedHyper", 2)]
    [InlineData("SharedChunkedHyper", 2)]
    [InlineData("SharedFullHyper", 1)]
    public void A_step_that_assembles_W_with_the_output_regularizer_allocates_nothing_after_warm_up(string name, int threads)
    {
        (IHyperModel model, var reference) = HyperCatalog.Create(name, maxTasks: 2, maxSamplesPerTask: 4);
        var data = new HyperBatchData(reference, tasks: 2, samples: 4, Loss.MeanSquaredError, seed: 5);
        model.Initialize(2);
        model.Threads = threads;
        try
        {
            float[] weights = new float[model.TargetParameterCount];
            var adam = new HyperDsl.Training.Adam(model);
            var regularizer = new HyperDsl.Training.OutputRegularizer(model, 0.1f, capacity: 1);
            regularizer.Remember(model.Tasks > 0 ? data.TaskIds[0] : 0, data.Conditions.AsSpan(0, model.ConditionSize));
            void Step()
            {
                model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
                regularizer.AddGradients(adam);
                adam.Step(model.Parameters, model.Gradients);
                model.GenerateFromEmbedding(model.Tasks > 0 ? model.TaskEmbeddings.Slice(0, model.EmbeddingSize) : default, data.Conditions.AsSpan(0, model.ConditionSize), weights);
            }

            Assert.Equal(0, AllocatedAfterWarmUp(Step, warmUps: 5, calls: 50));
        }
        finally
        {
            model.Threads = 1;
        }
    }

    /// <summary>The sinusoid sample's adaptation as it runs: the default options (100 steps, 64 table rows as starts).</summary>
    [Fact]
    public void Adaptation_with_the_default_options_allocates_nothing_after_warm_up()
    {
        var model = new HyperDsl.Tests.Networks.SineHyper(1, 100);
        model.Initialize(2);
        float[] x = { -4f, -2f, 0f, 2f, 4f };
        float[] y = { 1f, -1f, 0.5f, 2f, -2f };
        float[] mean = new float[8];
        float[] embedding = new float[8];
        HyperDsl.Training.FewShot.MeanEmbedding(model, mean);
        void Adapt()
        {
            mean.CopyTo(embedding, 0);
            HyperDsl.Training.FewShot.Adapt(model, x, y, 5, Loss.MeanSquaredError, embedding);
        }

        for (int i = 0; i < 3; i++)
        {
            Adapt();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Adapt();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_hypernetwork_training_step_and_adaptation_allocate_nothing_after_warm_up(bool chunked)
    {
        const int Tasks = 25;
        const int Samples = 10;
        HyperNetworkModel<HyperDsl.Tests.Networks.SineNet> model = chunked
            ? new HyperDsl.Tests.Networks.ChunkedSineHyper(Tasks, Samples)
            : new HyperDsl.Tests.Networks.SineHyper(Tasks, Samples);
        IHyperModel hyper = model;
        model.Initialize(3);
        var random = new Random(4);
        int[] ids = Enumerable.Range(0, Tasks).Select(t => t % hyper.Tasks).ToArray();
        float[] inputs = RandomData.Uniform(Tasks * Samples, -5f, 5f, random);
        float[] targets = RandomData.Uniform(Tasks * Samples, -3f, 3f, random);
        var optimizer = new HyperDsl.Training.Adam(hyper.ParameterCount);
        float[] embedding = new float[hyper.EmbeddingSize];
        float[] weights = new float[hyper.TargetParameterCount];
        float[] query = RandomData.Uniform(100, -5f, 5f, random);
        float[] predictions = new float[100];
        var adaptation = new HyperDsl.Training.FewShotOptions { Steps = 5, StartCandidates = 8 };

        void Step()
        {
            model.ComputeGradients(new TaskBatch(ids, inputs, targets, Samples), Loss.MeanSquaredError);
            HyperDsl.Training.GradientClipping.ClipByNorm(model.Gradients, 10f);
            optimizer.Step(model.Parameters, model.Gradients);
            HyperDsl.Training.FewShot.MeanEmbedding(hyper, embedding);
            HyperDsl.Training.FewShot.Adapt(hyper, inputs.AsSpan(0, 5), targets.AsSpan(0, 5), 5, Loss.MeanSquaredError, embedding, default, adaptation);
            hyper.GenerateFromEmbedding(embedding, default, weights);
            hyper.Predict(embedding, default, query, 100, predictions);
        }

        for (int i = 0; i < 20; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{(chunked ? "ChunkedSineHyper" : "SineHyper")}: 200 × (ComputeGradients over 25 tasks × 10 samples, clipping, Adam step, 5-step adaptation, Generate, Predict) allocated {allocated} bytes.");
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_image_hypernetwork_step_on_task_heads_with_the_output_regularizer_allocates_nothing_after_warm_up(int threads)
    {
        const int Samples = 64;
        var model = new HyperDsl.Tests.Networks.LeNetHyper(maxTasks: 2, maxSamplesPerTask: Samples);
        IHyperModel hyper = model;
        model.Initialize(3);
        model.Threads = threads;
        try
        {
            var random = new Random(4);
            int[] ids = { 0, 1 };
            float[] inputs = RandomData.Uniform(2 * Samples * hyper.InputSize, 0f, 1f, random);
            // Each task scored on its own head of half the outputs, as continual learning's task-incremental heads.
            int head = hyper.OutputSize / 2;
            float[] targets = new float[2 * Samples * hyper.OutputSize];
            Array.Fill(targets, float.NaN);
            for (int n = 0; n < 2 * Samples; n++)
            {
                int start = (n * hyper.OutputSize) + (n / Samples * head);
                targets.AsSpan(start, head).Clear();
                targets[start + (n % head)] = 1f;
            }

            var optimizer = new HyperDsl.Training.Adam(model);
            var regularizer = new HyperDsl.Training.OutputRegularizer(hyper, 0.01f, capacity: 2);
            regularizer.Remember(0);
            regularizer.Remember(1);

            void Step()
            {
                model.ComputeGradients(new TaskBatch(ids, inputs, targets, Samples), Loss.MaskedSoftmaxCrossEntropy);
                regularizer.AddGradients(optimizer);
                optimizer.Step(model.Parameters, model.Gradients);
            }

            for (int i = 0; i < 5; i++)
            {
                Step();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                Step();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"LeNetHyper, {threads} thread(s): 10 × (ComputeGradients over 2 × 64 images, output regulariser over 2 tasks with the look-ahead, Adam) allocated {allocated} bytes.");
            Assert.Equal(0, allocated);
        }
        finally
        {
            model.Threads = 1;
        }
    }

    [Theory]
    [InlineData(typeof(HyperDsl.Tests.Networks.LeNet), 1, 200)]
    [InlineData(typeof(HyperDsl.Tests.Networks.LeNet), 64, 10)]
    [InlineData(typeof(HyperDsl.Tests.Networks.ResidualImageNet), 9, 500)]
    [InlineData(typeof(HyperDsl.Tests.Networks.PoolNet), 5, 500)]
    public void Networks_with_images_allocate_nothing_after_warm_up(Type type, int batch, int calls)
    {
        var network = CompiledNetwork.From(type);
        var random = new Random(5);
        AssertStepsAllocateNothing(network, RandomData.Uniform(network.ParameterCount, -0.1f, 0.1f, random), batch, calls, warmUp: 20, type.Name, random);
    }

    /// <summary>Forward then Backward, <paramref name="calls"/> times after <paramref name="warmUp"/> calls, allocate 0 bytes.</summary>
    private void AssertStepsAllocateNothing(CompiledNetwork network, float[] parameters, int batch, int calls, int warmUp, string name, Random random)
    {
        float[] inputs = RandomData.Uniform(batch * network.InputSize, -1f, 1f, random);
        float[] outputs = new float[batch * network.OutputSize];
        float[] outputGradients = RandomData.Uniform(batch * network.OutputSize, -1f, 1f, random);
        float[] workspace = new float[network.WorkspaceSize(batch)];
        float[] parameterGradients = new float[network.ParameterCount];
        float[] inputGradients = new float[batch * network.InputSize];

        void Step()
        {
            network.Forward(parameters, inputs, outputs, batch, workspace);
            network.Backward(parameters, inputs, outputGradients, batch, workspace, parameterGradients, inputGradients);
        }

        // Warm-up runs the code through the JIT's tiers; allocations there belong to the JIT, not to a step.
        for (int i = 0; i < warmUp; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{name}, batch {batch}: {calls} Forward+Backward calls allocated {allocated} bytes.");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fitting_a_condition_vector_allocates_nothing_after_warm_up()
    {
        var model = new HyperDsl.Tests.Networks.SlopeHyper(maxTasks: 1, maxSamplesPerTask: 5);
        model.Initialize(2);
        float[] xs = [-0.9f, -0.4f, 0.1f, 0.5f, 0.8f];
        float[] ys = xs.Select(x => 0.3f * x).ToArray();
        float[] condition = new float[1];
        var options = new HyperDsl.Training.FewShotOptions { Steps = 10 };
        void Fit()
        {
            condition[0] = 0f;
            HyperDsl.Training.FewShot.AdaptCondition(model, xs, ys, 5, Loss.MeanSquaredError, condition, default, options);
        }

        for (int i = 0; i < 20; i++)
        {
            Fit();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Fit();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"SlopeHyper: 200 condition fits of 10 steps allocated {allocated} bytes.");
        Assert.Equal(0, allocated);
    }

    /// <summary>Bytes the calling thread allocates over <paramref name="calls"/> calls of <paramref name="step"/>, after <paramref name="warmUps"/> unmeasured ones.</summary>
    private static long AllocatedAfterWarmUp(Action step, int warmUps, int calls)
    {
        for (int i = 0; i < warmUps; i++)
        {
            step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            step();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void The_allocation_probe_sees_an_allocation()
    {
        // The measurement must be able to fail: one small array is seen.
        long before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(new float[4]);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
    }
}
