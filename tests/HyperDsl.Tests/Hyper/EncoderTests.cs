using System;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Hyper;

/// <summary>
/// Hypernetworks with a task encoder: the step's loss and ∂L/∂θ (E, g, the embeddings) against finite differences of
/// the double-precision reference, with support sets of different sizes, after Adam has moved θ; Generate and Predict
/// from a support set; what mean pooling promises; bad input refused before anything changes.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class EncoderTests
{
    private static readonly ReferenceNetwork PairEncoder = new(4, new[] { (5, Activation.Tanh), (3, Activation.Identity) });

    private static readonly ReferenceHyperNetwork MeanReference = new(HyperCatalog.Tiny, body: new[] { (4, Activation.Tanh) }, encoder: PairEncoder);

    private static readonly ReferenceHyperNetwork ChunkedReference = new(
        HyperCatalog.Tiny,
        tasks: 3,
        embeddingSize: 2,
        conditionSize: 1,
        chunkSize: 5,
        chunkEmbeddingSize: 2,
        body: new[] { (4, Activation.Silu) },
        encoder: PairEncoder);

    private static readonly ReferenceHyperNetwork AttentionReference = new(
        HyperCatalog.Tiny,
        conditionSize: 1,
        chunkSize: 6,
        chunkEmbeddingSize: 2,
        body: new[] { (4, Activation.Tanh) },
        encoder: new ReferenceNetwork(4, new[] { (5, Activation.Tanh), (4, Activation.Identity) }),
        setAttention: new[] { new ReferenceAttention(4, 2, 6), new ReferenceAttention(4, 1, 3) });

    public static TheoryData<string, Loss> NamesAndLosses => new()
    {
        { nameof(AttentionEncoderHyper), Loss.MeanSquaredError },
        { nameof(AttentionEncoderHyper), Loss.SoftmaxCrossEntropy },
        { nameof(MeanEncoderHyper), Loss.MeanSquaredError },
        { nameof(MeanEncoderHyper), Loss.SoftmaxCrossEntropy },
        { nameof(ChunkedEncoderHyper), Loss.MeanSquaredError },
        { nameof(ChunkedEncoderHyper), Loss.BinaryCrossEntropy },
    };

    [Theory]
    [MemberData(nameof(NamesAndLosses))]
    public void ComputeGradients_matches_finite_differences_after_Adam_has_moved_theta(string name, Loss loss)
    {
        (HyperNetworkModel<TinyTarget> model, ReferenceHyperNetwork reference) = Create(name, maxTasks: 3, maxSamples: 3, maxSupport: 4);
        model.Initialize(seed: 5);
        var data = new SupportBatchData(reference, new[] { 2, 4, 1 }, samples: 3, loss, seed: 7);
        Evolve(model, data, loss, steps: 4);
        AssertGradientsMatch(model, reference, data, loss, $"{name}, {loss}");
    }

    [Theory]
    [InlineData(nameof(MeanEncoderHyper))]
    [InlineData(nameof(ChunkedEncoderHyper))]
    [InlineData(nameof(AttentionEncoderHyper))]
    public void Two_threads_give_the_gradients_one_thread_gives(string name)
    {
        (HyperNetworkModel<TinyTarget> model, ReferenceHyperNetwork reference) = Create(name, maxTasks: 3, maxSamples: 3, maxSupport: 4);
        model.Initialize(seed: 9);
        var data = new SupportBatchData(reference, new[] { 3, 1, 4 }, samples: 3, Loss.MeanSquaredError, seed: 2);
        Evolve(model, data, Loss.MeanSquaredError, steps: 3);
        float oneLoss = model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
        float[] one = model.Gradients.ToArray();
        model.Threads = 2;
        try
        {
            float twoLoss = model.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            Assert.Equal(oneLoss, twoLoss, 1e-6f);
            Tolerance.AssertClose(model.Gradients, one.Select(v => (double)v).ToArray(), 1e-5, $"{name}: two threads");
            AssertGradientsMatch(model, reference, data, Loss.MeanSquaredError, $"{name}, two threads");
        }
        finally
        {
            model.Threads = 1;
        }
    }

    [Theory]
    [InlineData(nameof(MeanEncoderHyper))]
    [InlineData(nameof(ChunkedEncoderHyper))]
    [InlineData(nameof(AttentionEncoderHyper))]
    public void Generate_and_Predict_from_a_support_set_match_the_reference(string name)
    {
        (HyperNetworkModel<TinyTarget> model, ReferenceHyperNetwork reference) = Create(name, maxTasks: 2, maxSamples: 2, maxSupport: 5);
        model.Initialize(seed: 12);
        Evolve(model, new SupportBatchData(reference, new[] { 5, 2 }, samples: 2, Loss.MeanSquaredError, seed: 3), Loss.MeanSquaredError, steps: 3);
        var random = new Random(8);
        const int Support = 5;
        float[] supportInputs = RandomData.Uniform(Support * 2, -1f, 1f, random);
        float[] supportTargets = RandomData.Uniform(Support * 2, -1f, 1f, random);
        float[] embedding = RandomData.Uniform(reference.EmbeddingSize, -1f, 1f, random);
        float[] condition = RandomData.Uniform(reference.ConditionSize, -1f, 1f, random);
        double[] theta = HyperBatchData.ToDouble(model.Parameters);
        double[] encoding = reference.Encode(theta, HyperBatchData.ToDouble(supportInputs), HyperBatchData.ToDouble(supportTargets), Support);
        double[] expected = reference.Generate(theta, HyperBatchData.ToDouble(embedding), HyperBatchData.ToDouble(condition).Concat(encoding).ToArray());

        float[] weights = new float[reference.Target.ParameterCount];
        model.GenerateFromSupport(embedding, condition, supportInputs, supportTargets, Support, weights);
        Tolerance.AssertClose(weights, expected, 1e-4, $"{name}: GenerateFromSupport");

        // More samples than the capacity: Predict runs them in blocks.
        const int Samples = 7;
        float[] inputs = RandomData.Uniform(Samples * 2, -1f, 1f, random);
        float[] outputs = new float[Samples * 2];
        model.PredictFromSupport(embedding, condition, supportInputs, supportTargets, Support, inputs, Samples, outputs);
        Tolerance.AssertClose(outputs, reference.Target.Forward(expected, HyperBatchData.ToDouble(inputs), Samples), 1e-4, $"{name}: PredictFromSupport");
    }

    [Fact]
    public void The_generated_overloads_take_the_task_id_and_the_support_set()
    {
        var hyper = new ChunkedEncoderHyper(maxTasks: 1, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        hyper.Initialize(4);
        var random = new Random(1);
        float[] supportInputs = RandomData.Uniform(6, -1f, 1f, random);
        float[] supportTargets = RandomData.Uniform(6, -1f, 1f, random);
        float[] condition = { 0.3f };
        float[] viaId = new float[ChunkedEncoderHyper.TargetParameterCount];
        float[] viaRow = new float[ChunkedEncoderHyper.TargetParameterCount];
        hyper.Generate(2, condition, supportInputs, supportTargets, 3, viaId);
        hyper.GenerateFromSupport(hyper.TaskEmbeddings.Slice(4, 2), condition, supportInputs, supportTargets, 3, viaRow);
        Assert.Equal(viaRow, viaId);

        float[] inputs = RandomData.Uniform(4, -1f, 1f, random);
        float[] outputs = new float[4];
        hyper.Predict(2, condition, supportInputs, supportTargets, 3, inputs, 2, outputs);
        double[] expected = HyperCatalog.Tiny.Forward(viaId.Select(v => (double)v).ToArray(), HyperBatchData.ToDouble(inputs), 2);
        Tolerance.AssertClose(outputs, expected, 1e-5, "Predict(task, condition, support, ...)");

        var plain = new MeanEncoderHyper(maxTasks: 1, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        plain.Initialize(4);
        float[] weights = new float[MeanEncoderHyper.TargetParameterCount];
        plain.Generate(supportInputs, supportTargets, 3, weights);
        Assert.Contains(weights, w => w != 0f);
    }

    /// <summary>
    /// Mean pooling: the order of the pairs does not change W, and a support set given twice over gives the W it gives
    /// once — a sum would double the encoding — while a different set does change W.
    /// </summary>
    [Fact]
    public void Mean_pooling_ignores_the_order_and_the_multiplicity_of_the_pairs()
    {
        var hyper = new MeanEncoderHyper(maxTasks: 1, maxSamplesPerTask: 1, maxSupportPerTask: 6);
        hyper.Initialize(21);
        var random = new Random(3);
        float[] inputs = RandomData.Uniform(6, -1f, 1f, random);
        float[] targets = RandomData.Uniform(6, -1f, 1f, random);
        float[] once = Generate(hyper, inputs, targets, 3);

        int[] order = { 2, 0, 1 };
        float[] shuffled = Generate(hyper, Permute(inputs, order, 2), Permute(targets, order, 2), 3);
        Tolerance.AssertClose(shuffled, once.Select(v => (double)v).ToArray(), 1e-6, "pairs reordered");

        float[] twice = Generate(hyper, inputs.Concat(inputs).ToArray(), targets.Concat(targets).ToArray(), 6);
        Tolerance.AssertClose(twice, once.Select(v => (double)v).ToArray(), 1e-6, "pairs given twice");

        targets[0] += 0.5f;
        float[] other = Generate(hyper, inputs, targets, 3);
        Assert.True(other.Zip(once, (a, b) => Math.Abs(a - b)).Max() > 1e-4, "a different support set must give a different W");
    }

    [Fact]
    public void Bad_support_sets_are_refused_naming_the_problem_and_change_nothing()
    {
        var hyper = new MeanEncoderHyper(maxTasks: 2, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        hyper.Initialize(2);
        var data = new SupportBatchData(MeanReference, new[] { 2, 3 }, samples: 2, Loss.MeanSquaredError, seed: 4);
        hyper.ComputeGradients(data.Batch, Loss.MeanSquaredError);
        float[] theta = hyper.Parameters.ToArray();
        float[] gradients = hyper.Gradients.ToArray();
        float[] w = new float[MeanEncoderHyper.TargetParameterCount];

        void Unchanged()
        {
            Assert.Equal(theta, hyper.Parameters.ToArray());
            Assert.Equal(gradients, hyper.Gradients.ToArray());
        }

        float[] four = new float[8];
        var empty = Assert.Throws<ArgumentOutOfRangeException>(() => hyper.Generate(Array.Empty<float>(), Array.Empty<float>(), 0, w));
        Assert.Equal("supportSize", empty.ParamName);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => hyper.Generate(four, four, 4, w));
        Assert.Contains("from 1 to 3", tooMany.Message);
        var shortInputs = Assert.Throws<ArgumentException>(() => hyper.Generate(new float[5], new float[6], 3, w));
        Assert.Equal("supportInputs", shortInputs.ParamName);
        var shortTargets = Assert.Throws<ArgumentException>(() => hyper.Generate(new float[6], new float[4], 3, w));
        Assert.Equal("supportTargets", shortTargets.ParamName);
        float[] withNaN = new float[6];
        withNaN[3] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => hyper.Generate(new float[6], withNaN, 3, w));
        Assert.Equal("supportTargets", nan.ParamName);
        Unchanged();

        // In a batch: no support set, a size per task missing, an empty or oversized set, spans that do not fit, NaN.
        Assert.Contains("no support sets", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.PlainBatch, Loss.MeanSquaredError)).Message);
        // Without a table or conditions, the support sets are the tasks: one size makes one task, and the query set is then too long.
        Assert.Contains("batch.Inputs", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.WithSizes(new[] { 5 }), Loss.MeanSquaredError)).Message);
        Assert.Contains("task 0 of the batch has 0 support pairs", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.WithSizes(new[] { 0, 5 }), Loss.MeanSquaredError)).Message);
        Assert.Contains("task 1 of the batch has 4 support pairs", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.WithSizes(new[] { 1, 4 }), Loss.MeanSquaredError)).Message);
        Assert.Contains("batch.SupportInputs", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.WithSizes(new[] { 2, 2 }), Loss.MeanSquaredError)).Message);
        data.SupportTargets[1] = float.PositiveInfinity;
        Assert.Contains("batch.SupportTargets", Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.Batch, Loss.MeanSquaredError)).Message);
        Unchanged();

        // Calls that give z without a support set.
        Assert.Contains("GenerateFromSupport", Assert.Throws<InvalidOperationException>(() => ((IHyperModel)hyper).GenerateFromEmbedding(default, default, w)).Message);
        Assert.Throws<InvalidOperationException>(() => ((IHyperModel)hyper).Predict(default, default, new float[2], 1, new float[2]));
        Assert.Throws<InvalidOperationException>(() => new OutputRegularizer(hyper, 0.1f, 2).Remember(0));
        Unchanged();
    }

    [Fact]
    public void With_a_table_each_task_id_needs_its_support_size()
    {
        var hyper = new ChunkedEncoderHyper(maxTasks: 2, maxSamplesPerTask: 2, maxSupportPerTask: 3);
        var data = new SupportBatchData(ChunkedReference, new[] { 2, 3 }, samples: 2, Loss.MeanSquaredError, seed: 4);
        var refused = Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(data.WithSizes(new[] { 5 }), Loss.MeanSquaredError));
        Assert.Contains("1 support sizes for 2 tasks", refused.Message);
    }

    [Fact]
    public void A_hypernetwork_without_an_encoder_refuses_support_sets()
    {
        var hyper = new FullConditionHyper(maxTasks: 1, maxSamplesPerTask: 1);
        float[] conditions = new float[3];
        var refused = Assert.Throws<ArgumentException>(() => hyper.ComputeGradients(
            new TaskBatch(default, new float[2], new float[2], 1, conditions).WithSupport(new float[2], new float[2], new[] { 1 }),
            Loss.MeanSquaredError));
        Assert.Contains("no task encoder", refused.Message);
        Assert.Throws<InvalidOperationException>(() => hyper.GenerateFromSupport(default, conditions, new float[2], new float[2], 1, new float[17]));
    }

    [Fact]
    public void The_encoder_starts_as_PyTorch_starts_its_layers_and_the_same_seed_gives_the_same_theta()
    {
        var hyper = new ChunkedEncoderHyper(maxTasks: 1, maxSamplesPerTask: 1, maxSupportPerTask: 1);
        hyper.Initialize(6);
        ReadOnlySpan<float> encoder = hyper.Parameters.Slice(ChunkedEncoderHyper.Layout.Encoder, ChunkedEncoderHyper.Layout.EncoderLength);
        Assert.Equal(ChunkedEncoderHyper.ParameterCount, ChunkedEncoderHyper.Layout.Encoder + ChunkedEncoderHyper.Layout.EncoderLength);
        Assert.Equal(PairEncoder.ParameterCount, encoder.Length);

        // Dense(4 → 5): ±1/√4 for weights and bias; Dense(5 → 3): ±1/√5.
        AssertUniformWithin(encoder[..25].ToArray(), 0.5);
        AssertUniformWithin(encoder[25..].ToArray(), 1 / Math.Sqrt(5));

        var again = new ChunkedEncoderHyper(maxTasks: 2, maxSamplesPerTask: 3, maxSupportPerTask: 4);
        again.Initialize(6);
        Assert.Equal(hyper.Parameters.ToArray(), again.Parameters.ToArray());
    }

    /// <summary>PyTorch's start for nn.TransformerEncoderLayer: norms 1 and 0, projection biases 0, weights within their bounds.</summary>
    [Fact]
    public void Attention_blocks_start_as_PyTorch_starts_a_transformer_layer()
    {
        var hyper = new AttentionEncoderHyper(maxTasks: 1, maxSamplesPerTask: 1, maxSupportPerTask: 1);
        hyper.Initialize(8);
        var shape = new HyperDsl.Kernels.AttentionShape(4, 2, 6);
        float[] block = hyper.Parameters.Slice(AttentionEncoderHyper.Layout.Encoder + 49, shape.ParameterCount).ToArray();
        Assert.All(block.Skip(shape.Norm1Scale).Take(4), v => Assert.Equal(1f, v));
        Assert.All(block.Skip(shape.Norm1Shift).Take(4), v => Assert.Equal(0f, v));
        Assert.All(block.Skip(shape.Norm2Scale).Take(4), v => Assert.Equal(1f, v));
        Assert.All(block.Skip(shape.InProjectionBias).Take(12), v => Assert.Equal(0f, v));
        Assert.All(block.Skip(shape.OutProjectionBias).Take(4), v => Assert.Equal(0f, v));
        AssertUniformWithin(block.Skip(shape.InProjectionWeights).Take(48).ToArray(), Math.Sqrt(6.0 / 16));
        AssertUniformWithin(block.Skip(shape.OutProjectionWeights).Take(16).ToArray(), 0.5);
        AssertUniformWithin(block.Skip(shape.Linear1Weights).Take(24).ToArray(), 0.5);
        AssertUniformWithin(block.Skip(shape.Linear2Weights).Take(24).ToArray(), 1 / Math.Sqrt(6));
    }

    [Fact]
    public void A_step_and_a_prediction_from_a_support_set_allocate_nothing_after_warm_up()
    {
        var hyper = new ChunkedEncoderHyper(maxTasks: 3, maxSamplesPerTask: 3, maxSupportPerTask: 4);
        hyper.Initialize(3);
        var data = new SupportBatchData(ChunkedReference, new[] { 4, 1, 3 }, samples: 3, Loss.MeanSquaredError, seed: 5);
        var adam = new Adam(hyper);
        var attention = new AttentionEncoderHyper(maxTasks: 3, maxSamplesPerTask: 3, maxSupportPerTask: 4);
        attention.Initialize(3);
        var attentionData = new SupportBatchData(AttentionReference, new[] { 2, 4, 3 }, samples: 3, Loss.MeanSquaredError, seed: 6);
        var attentionAdam = new Adam(attention);
        float[] condition = { 0.5f };
        float[] inputs = new float[6];
        float[] outputs = new float[6];
        void Step()
        {
            hyper.ComputeGradients(data.Batch, Loss.MeanSquaredError);
            adam.Step(hyper.Parameters, hyper.Gradients);
            hyper.Predict(1, condition, data.SupportInputs.AsSpan(0, 8), data.SupportTargets.AsSpan(0, 8), 4, inputs, 3, outputs);
            attention.ComputeGradients(attentionData.Batch, Loss.MeanSquaredError);
            attentionAdam.Step(attention.Parameters, attention.Gradients);
            attention.Predict(condition, attentionData.SupportInputs.AsSpan(0, 8), attentionData.SupportTargets.AsSpan(0, 8), 4, inputs, 3, outputs);
        }

        foreach (int threads in new[] { 1, 2 })
        {
            hyper.Threads = threads;
            attention.Threads = threads;
            try
            {
                for (int i = 0; i < 5; i++)
                {
                    Step();
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 50; i++)
                {
                    Step();
                }

                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            finally
            {
                hyper.Threads = 1;
                attention.Threads = 1;
            }
        }
    }

    private static void AssertUniformWithin(float[] values, double bound)
    {
        Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(values.Max(Math.Abs) > bound / 4, "the draws should spread over the interval");
    }

    private static float[] Generate(MeanEncoderHyper hyper, float[] inputs, float[] targets, int pairs)
    {
        float[] weights = new float[MeanEncoderHyper.TargetParameterCount];
        hyper.Generate(inputs, targets, pairs, weights);
        return weights;
    }

    private static float[] Permute(float[] rows, int[] order, int width)
        => order.SelectMany(r => rows.Skip(r * width).Take(width)).ToArray();

    private static void Evolve(IHyperModel model, SupportBatchData data, Loss loss, int steps)
    {
        var adam = new Adam(model.ParameterCount, learningRate: 0.02f);
        for (int step = 0; step < steps; step++)
        {
            model.ComputeGradients(data.Batch, loss);
            adam.Step(model.Parameters, model.Gradients);
        }
    }

    private static void AssertGradientsMatch(IHyperModel model, ReferenceHyperNetwork reference, SupportBatchData data, Loss loss, string what)
    {
        Assert.Equal(reference.ParameterCount, model.ParameterCount);
        float value = model.ComputeGradients(data.Batch, loss);
        double[] theta = HyperBatchData.ToDouble(model.Parameters);
        double[] inputs = HyperBatchData.ToDouble(data.Inputs);
        double[] targets = HyperBatchData.ToDouble(data.Targets);
        double[] conditions = HyperBatchData.ToDouble(data.Conditions);
        double[] supportInputs = HyperBatchData.ToDouble(data.SupportInputs);
        double[] supportTargets = HyperBatchData.ToDouble(data.SupportTargets);
        double MeanLoss(double[] parameters) => reference.LossWithSupport(parameters, data.TaskIds, inputs, targets, data.Samples, conditions, supportInputs, supportTargets, data.SupportSizes, loss);

        double expected = MeanLoss(theta);
        Assert.True(Math.Abs(value - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"{what}: loss {value}, reference {expected}");
        double[] numeric = HyperNetworkGradientTests.FiniteDifferences(theta, MeanLoss);
        Tolerance.AssertClose(model.Gradients, numeric, 1e-3, $"{what}: ∂L/∂θ");

        // The encoder's part must carry gradient: a check that passes with E cut off would prove nothing about it.
        Assert.True(numeric.Skip(model.ParameterCount - reference.Encoder!.ParameterCount).Max(Math.Abs) > 1e-4, $"{what}: the encoder's gradient is not exercised");
    }

    private static (HyperNetworkModel<TinyTarget> Model, ReferenceHyperNetwork Reference) Create(string name, int maxTasks, int maxSamples, int maxSupport) => name switch
    {
        nameof(MeanEncoderHyper) => (new MeanEncoderHyper(maxTasks, maxSamples, maxSupport), MeanReference),
        nameof(AttentionEncoderHyper) => (new AttentionEncoderHyper(maxTasks, maxSamples, maxSupport), AttentionReference),
        _ => (new ChunkedEncoderHyper(maxTasks, maxSamples, maxSupport), ChunkedReference),
    };
}

/// <summary>A seeded meta-batch with a support set per task of the given sizes, stored task after task.</summary>
public sealed class SupportBatchData
{
    public SupportBatchData(ReferenceHyperNetwork reference, int[] supportSizes, int samples, Loss loss, int seed)
    {
        var random = new Random(seed);
        int tasks = supportSizes.Length;
        var query = new HyperBatchData(reference, tasks, samples, loss, seed + 1000);
        Tasks = tasks;
        Samples = samples;
        TaskIds = query.TaskIds;
        Inputs = query.Inputs;
        Targets = query.Targets;
        Conditions = query.Conditions;
        SupportSizes = supportSizes;
        int pairs = supportSizes.Sum();
        SupportInputs = RandomData.Uniform(pairs * reference.Target.InputSize, -1f, 1f, random);
        SupportTargets = RandomData.Uniform(pairs * reference.Target.OutputSize, -1f, 1f, random);
    }

    public int Tasks { get; }

    public int Samples { get; }

    public int[] TaskIds { get; }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    public float[] Conditions { get; }

    public int[] SupportSizes { get; }

    public float[] SupportInputs { get; }

    public float[] SupportTargets { get; }

    public TaskBatch PlainBatch => new(TaskIds, Inputs, Targets, Samples, Conditions);

    public TaskBatch Batch => PlainBatch.WithSupport(SupportInputs, SupportTargets, SupportSizes);

    /// <summary>The batch with other support sizes over the same pairs (for bad-input tests).</summary>
    public TaskBatch WithSizes(int[] sizes) => PlainBatch.WithSupport(SupportInputs, SupportTargets, sizes);
}
