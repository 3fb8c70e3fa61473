using System;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Numerics;
using HyperDsl.Training;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests.Training;

/// <summary>
/// The few-shot path as the README and docs/getting-started.md write it — MeanEmbedding, then Adapt with its defaults,
/// then Predict — gives good predictions for tasks never seen in training; a start with a zero gradient never passes
/// silently.
/// </summary>
public sealed class FewShotTests(ITestOutputHelper output)
{
    [Fact]
    public void The_documented_calls_on_SineHyper_after_the_READMEs_training_loop_give_a_K5_error_below_0_3()
    {
        // The README's loop, with the sinusoid sample's family of 1000 training curves (seed 1).
        var model = new SineHyper(maxTasks: 25, maxSamplesPerTask: 10);
        model.Initialize(seed: 1);
        var trainer = new Trainer(model, new Adam(model), new SineFamily(SineHyper.Tasks, seed: 1), new TrainerOptions
        {
            Steps = 20000, TasksPerStep = 25, SamplesPerTask = 10, Loss = Loss.MeanSquaredError,
            Schedule = new CosineSchedule(peak: 2e-3f, totalSteps: 20000, warmupSteps: 500),
            ClipNorm = 10f,
        });
        trainer.Run();

        // 200 curves never seen in training, 5 support and 100 query points each.
        var random = new Random(2024);
        double adapted = 0, uninformed = 0;
        int stalled = 0;
        const int Curves = 200, Query = 100;
        float[] supportX = new float[5], supportY = new float[5], queryX = new float[Query], queryY = new float[Query], predictions = new float[Query];
        for (int curve = 0; curve < Curves; curve++)
        {
            (float amplitude, float phase) = SineFamily.Draw(random);
            SineFamily.Points(amplitude, phase, random, supportX, supportY);
            SineFamily.Points(amplitude, phase, random, queryX, queryY);

            // As documented: the mean of the table, then Adapt with its defaults, then Predict.
            float[] embedding = new float[SineHyper.EmbeddingSize];
            FewShot.MeanEmbedding(model, embedding);
            AdaptationResult result = FewShot.Adapt(model, supportX, supportY, samples: 5, Loss.MeanSquaredError, embedding);
            model.Predict(embedding, default, queryX, queryX.Length, predictions);
            adapted += Mse(predictions, queryY);
            uninformed += queryY.Select(y => (double)y * y).Average();
            stalled += result.Stalled ? 1 : 0;
        }

        adapted /= Curves;
        uninformed /= Curves;
        output.WriteLine($"K = 5 query MSE over {Curves} unseen curves: {adapted:F4}; predicting 0 (no task information): {uninformed:F4}; stalled fits: {stalled}");
        Assert.Equal(0, stalled);
        Assert.True(adapted < 0.3, $"K = 5 query MSE {adapted:F4}, not below 0.3");
    }

    [Fact]
    public void The_documented_calls_on_the_getting_started_LineHyper_fit_a_slope_it_never_saw()
    {
        // docs/getting-started.md, step 3: four slopes, 500 Adam steps.
        const int Tasks = 4, Samples = 8;
        float[] slopes = [-1f, -0.5f, 0.5f, 1f];
        int[] ids = [0, 1, 2, 3];
        float[] x = new float[Tasks * Samples], y = new float[Tasks * Samples];
        for (int t = 0; t < Tasks; t++)
        {
            for (int s = 0; s < Samples; s++)
            {
                x[(t * Samples) + s] = -1f + (2f * s / (Samples - 1));
                y[(t * Samples) + s] = slopes[t] * x[(t * Samples) + s];
            }
        }

        var model = new LineHyper(maxTasks: Tasks, maxSamplesPerTask: Samples);
        model.Initialize(seed: 7);
        var adam = new Adam(model, learningRate: 0.01f);
        for (int step = 1; step <= 500; step++)
        {
            model.ComputeGradients(new TaskBatch(ids, x, y, Samples), Loss.MeanSquaredError);
            adam.Step(model.Parameters, model.Gradients);
        }

        // Step 4: slopes never seen in training, between the trained ones, from 5 points.
        foreach (float slope in new[] { -0.75f, 0.25f, 0.75f })
        {
            float[] supportX = [-0.9f, -0.4f, 0.1f, 0.5f, 0.8f];
            float[] supportY = supportX.Select(v => slope * v).ToArray();
            float[] queryX = Enumerable.Range(0, 21).Select(i => -1f + (0.1f * i)).ToArray();
            float[] predictions = new float[queryX.Length];
            float[] embedding = new float[LineHyper.EmbeddingSize];
            FewShot.MeanEmbedding(model, embedding);
            AdaptationResult result = FewShot.Adapt(model, supportX, supportY, samples: 5, Loss.MeanSquaredError, embedding);
            model.Predict(embedding, default, queryX, samples: queryX.Length, predictions);

            double mse = Mse(predictions, queryX.Select(v => slope * v).ToArray());
            double variance = queryX.Select(v => (double)slope * v * slope * v).Average();
            output.WriteLine($"slope {slope}: query MSE {mse:E2} (variance of y {variance:E2}), support loss {result.Loss:E2}");
            Assert.False(result.Stalled);
            Assert.True(mse < 0.05 * variance, $"slope {slope}: query MSE {mse:E2}, not below 5% of the variance {variance:E2}");
        }
    }

    [Fact]
    public void A_hypernetwork_conditioned_only_by_a_descriptor_predicts_unseen_tasks_and_fits_an_unknown_descriptor()
    {
        // y = a·x with the slope a as the task's descriptor, 32 training slopes in [−1, 1].
        const int Tasks = 16, Samples = 8;
        var model = new SlopeHyper(maxTasks: Tasks, maxSamplesPerTask: Samples);
        model.Initialize(seed: 2);
        var adam = new Adam(model, learningRate: 0.01f);
        var random = new Random(5);
        float[] x = new float[Tasks * Samples], y = new float[Tasks * Samples], conditions = new float[Tasks];
        for (int step = 1; step <= 1500; step++)
        {
            for (int t = 0; t < Tasks; t++)
            {
                conditions[t] = -1f + (2f * random.Next(32) / 31f);
                for (int s = 0; s < Samples; s++)
                {
                    x[(t * Samples) + s] = -1f + (2f * random.NextSingle());
                    y[(t * Samples) + s] = conditions[t] * x[(t * Samples) + s];
                }
            }

            model.ComputeGradients(new TaskBatch(default, x, y, Samples, conditions), Loss.MeanSquaredError);
            adam.Step(model.Parameters, model.Gradients);
        }

        float[] queryX = Enumerable.Range(0, 21).Select(i => -1f + (0.1f * i)).ToArray();
        float[] predictions = new float[queryX.Length];
        foreach (float slope in new[] { -0.8f, 0.1f, 0.55f })
        {
            float[] truth = queryX.Select(v => slope * v).ToArray();
            double variance = truth.Select(v => (double)v * v).Average();

            // A known descriptor: one forward pass, no fitting.
            model.Predict(default, [slope], queryX, queryX.Length, predictions);
            double known = Mse(predictions, truth);

            // An unknown descriptor: fitted to 5 points from a start at 0.
            float[] supportX = [-0.9f, -0.4f, 0.1f, 0.5f, 0.8f];
            float[] condition = [0f];
            AdaptationResult result = FewShot.AdaptCondition(model, supportX, supportX.Select(v => slope * v).ToArray(), samples: 5, Loss.MeanSquaredError, condition);
            model.Predict(default, condition, queryX, queryX.Length, predictions);
            double fitted = Mse(predictions, truth);

            output.WriteLine($"slope {slope}: MSE with the descriptor {known:E2}, with the fitted descriptor {condition[0]:F3}: {fitted:E2} (variance {variance:E2})");
            Assert.False(result.Stalled);
            Assert.True(known < 0.05 * variance, $"slope {slope}: MSE {known:E2} with the known descriptor");
            Assert.True(fitted < 0.05 * variance, $"slope {slope}: MSE {fitted:E2} with the fitted descriptor");
        }
    }

    [Fact]
    public void A_start_with_a_zero_gradient_is_passed_over_or_reported_never_returned_as_a_fit()
    {
        // ReluGateHyper's one ReLU unit is off for every embedding e ≤ 0 (weight 1, bias 0): there ∂L/∂e = 0 exactly.
        var model = new ReluGateHyper(maxTasks: 1, maxSamplesPerTask: 4);
        model.Initialize(seed: 1);
        Span<float> theta = model.Parameters;
        theta[ReluGateHyper.Layout.Dense0Weights] = 1f;
        theta[ReluGateHyper.Layout.Dense0Bias] = 0f;
        float[] table = [-1f, -2f, 3f, 4f];
        table.CopyTo(theta);
        var random = new Random(8);
        float[] inputs = RandomData.Uniform(4 * 2, -1f, 1f, random);
        float[] targets = RandomData.Uniform(4 * 2, -1f, 1f, random);

        // Alone, a flat start is reported as such and left as it was.
        float[] flat = [-5f];
        AdaptationResult alone = FewShot.Adapt(model, inputs, targets, 4, Loss.MeanSquaredError, flat, default, new FewShotOptions { StartCandidates = 0 });
        Assert.True(alone.Stalled);
        Assert.Equal(1, alone.ZeroGradientStarts);
        Assert.Equal(-5f, flat[0]);
        Assert.Equal(alone.StartLoss, alone.Loss);

        // With the table's rows as further starts, the fit begins where the gradient is not zero, and improves on it.
        float[] embedding = [-5f];
        AdaptationResult result = FewShot.Adapt(model, inputs, targets, 4, Loss.MeanSquaredError, embedding, default, new FewShotOptions { StartCandidates = 4 });
        Assert.False(result.Stalled);
        Assert.Contains(result.StartTask, new[] { 2, 3 });
        Assert.InRange(result.ZeroGradientStarts, 0, 3);
        Assert.True(result.Loss <= result.StartLoss, $"support loss {result.StartLoss} -> {result.Loss}");
        Assert.True(embedding[0] > 0f, $"the fit ended at {embedding[0]}, where the unit is off");
    }

    [Fact]
    public void Bad_arguments_are_refused_before_the_vector_is_written()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 5);
        model.Initialize(1);
        float[] embedding = [1, 2, 3, 4, 5, 6, 7, 8];
        float[] before = (float[])embedding.Clone();
        float[] xs = new float[5], ys = new float[5];
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShot.Adapt(model, xs, ys, 6, Loss.MeanSquaredError, embedding));
        Assert.Throws<ArgumentException>(() => FewShot.Adapt(model, xs, ys.AsSpan(0, 4), 5, Loss.MeanSquaredError, embedding));
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShot.Adapt(model, xs, ys, 5, (Loss)9, embedding));
        Assert.Throws<ArgumentOutOfRangeException>(() => FewShot.Adapt(model, xs, ys, 5, Loss.MeanSquaredError, embedding, default, new FewShotOptions { LearningRate = float.NaN }));
        ys[2] = float.NaN;
        Assert.Throws<ArgumentException>(() => FewShot.Adapt(model, xs, ys, 5, Loss.MeanSquaredError, embedding));
        Assert.Equal(before, embedding);
        var noCondition = Assert.Throws<ArgumentException>(() => FewShot.AdaptCondition(model, xs, ys, 5, Loss.MeanSquaredError, new float[1]));
        Assert.Contains("FewShot.Adapt", noCondition.Message);
    }

    private static double Mse(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth)
    {
        double sum = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double error = predicted[i] - truth[i];
            sum += error * error;
        }

        return sum / predicted.Length;
    }

    /// <summary>The sinusoid sample's family: A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5], a fixed set of training curves.</summary>
    private sealed class SineFamily : ITaskSampler
    {
        private readonly (float Amplitude, float Phase)[] training;

        public SineFamily(int tasks, int seed)
        {
            var random = new Random(seed);
            training = Enumerable.Range(0, tasks).Select(_ => Draw(random)).ToArray();
        }

        public static (float Amplitude, float Phase) Draw(Random random) => (0.1f + (4.9f * random.NextSingle()), MathF.PI * random.NextSingle());

        public static void Points(float amplitude, float phase, Random random, Span<float> xs, Span<float> ys)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                xs[i] = -5f + (10f * random.NextSingle());
                ys[i] = amplitude * MathF.Sin(xs[i] - phase);
            }
        }

        public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
        {
            for (int t = 0; t < taskIds.Length; t++)
            {
                taskIds[t] = random.Next(training.Length);
                (float amplitude, float phase) = training[taskIds[t]];
                Points(amplitude, phase, random, inputs.Slice(t * samplesPerTask, samplesPerTask), targets.Slice(t * samplesPerTask, samplesPerTask));
            }
        }
    }
}
