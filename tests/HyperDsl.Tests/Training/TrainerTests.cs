using System;
using System.IO;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Training;

/// <summary>A short seeded training run learns, is reproducible, and logs; few-shot adaptation fits a task it never saw.</summary>
public sealed class TrainerTests
{
    [Fact]
    public void A_seeded_run_cuts_the_meta_training_loss_by_a_factor_of_three()
    {
        TrainingSummary summary = Train(seed: 3, steps: 3000, out _);
        Assert.True(summary.RecentLoss < summary.FirstLoss / 3, $"loss {summary.FirstLoss} -> {summary.RecentLoss}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        Train(seed: 5, steps: 50, out float[] first);
        Train(seed: 5, steps: 50, out float[] second);
        Train(seed: 6, steps: 50, out float[] third);
        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }

    [Fact]
    public void The_metrics_log_has_a_line_per_logged_step_and_the_evaluations()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hyperdsl-{Guid.NewGuid():N}.jsonl");
        try
        {
            var model = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
            model.Initialize(1);
            int evaluations = 0;
            var trainer = new Trainer(model, new Adam(SineHyper.ParameterCount), new SineTasks(), new TrainerOptions
            {
                Steps = 20,
                TasksPerStep = 4,
                SamplesPerTask = 5,
                LogEvery = 5,
                EvaluateEvery = 10,
                Evaluate = () => ++evaluations,
                EvaluationName = "probe",
                MetricsPath = path,
            });
            TrainingSummary summary = trainer.Run();
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("{\"step\":5,\"loss\":", lines[0]);
            Assert.EndsWith("\"probe\":1}", lines[1]);
            Assert.EndsWith("\"probe\":2}", lines[3]);
            Assert.Equal(2, evaluations);
            Assert.Equal(2, summary.LastEvaluation);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_trainer_checkpoints_the_model_optimizer_and_step()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hyperdsl-{Guid.NewGuid():N}.safetensors");
        try
        {
            var model = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
            model.Initialize(1);
            var adam = new Adam(SineHyper.ParameterCount);
            var options = new TrainerOptions { Steps = 12, TasksPerStep = 4, SamplesPerTask = 5, CheckpointPath = path, CheckpointEvery = 5 };
            new Trainer(model, adam, new SineTasks(), options).Run();

            var restored = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
            var restoredAdam = new Adam(SineHyper.ParameterCount);
            HyperDsl.Checkpoints.CheckpointInfo info = HyperDsl.Checkpoints.Checkpoint.Load(path, restored, restoredAdam);
            Assert.Equal(12, info.Step);
            Assert.Equal(12, restoredAdam.StepCount);
            Assert.Equal(model.Parameters.ToArray(), restored.Parameters.ToArray());
            Assert.Equal(adam.FirstMoment.ToArray(), restoredAdam.FirstMoment.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpointing_with_an_optimizer_that_cannot_be_saved_is_refused_at_construction()
    {
        var model = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
        var exception = Assert.Throws<ArgumentException>(() => new Trainer(model, new StatelessOptimizer(), new SineTasks(), new TrainerOptions { TasksPerStep = 4, SamplesPerTask = 5, CheckpointPath = "x.safetensors" }));
        Assert.Contains("StatelessOptimizer cannot be saved in a checkpoint", exception.Message);
    }

    [Fact]
    public void Options_that_do_not_fit_the_model_are_refused()
    {
        var model = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
        var exception = Assert.Throws<ArgumentException>(() => new Trainer(model, new Adam(SineHyper.ParameterCount), new SineTasks(), new TrainerOptions { TasksPerStep = 5, SamplesPerTask = 5 }));
        Assert.Contains("TasksPerStep is 5; the model was built for 1 to 4", exception.Message);
    }

    [Fact]
    public void With_the_output_regularizer_a_second_task_moves_the_first_task_s_weights_far_less()
    {
        // Task 3 is learned, its W remembered; then only task 20 is trained, with and without the regulariser.
        double Drift(float beta)
        {
            var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 10);
            model.Initialize(7);
            new Trainer(model, new Adam(model, 3e-3f), new OneSineTask(3), new TrainerOptions { Steps = 400, TasksPerStep = 1, SamplesPerTask = 10, Seed = 1 }).Run();
            var regularizer = new OutputRegularizer(model, beta, capacity: 1);
            regularizer.Remember(3);
            float[] anchor = regularizer.Anchor(0).ToArray();
            TrainingSummary second = new Trainer(model, new Adam(model, 3e-3f), new OneSineTask(20), new TrainerOptions { Steps = 400, TasksPerStep = 1, SamplesPerTask = 10, Seed = 2, Regularizer = regularizer }).Run();
            Assert.True(second.RecentLoss < second.FirstLoss / 3, $"β = {beta}: the second task is learned too ({second.FirstLoss} -> {second.RecentLoss})");
            float[] now = new float[SineHyper.TargetParameterCount];
            model.Generate(3, now);
            return Math.Sqrt(now.Zip(anchor, (a, b) => (double)(a - b) * (a - b)).Sum());
        }

        double free = Drift(0f);
        double held = Drift(1f);
        Assert.True(free > 0.1, $"without the regulariser the first task's W moves ({free})");
        Assert.True(held < free / 5, $"the regulariser holds the first task's W: moved {held}, against {free} without it");
    }

    [Fact]
    public void A_regularizer_of_another_model_is_refused()
    {
        var model = new SineHyper(maxTasks: 1, maxSamplesPerTask: 5);
        var other = new SineHyper(maxTasks: 1, maxSamplesPerTask: 5);
        var exception = Assert.Throws<ArgumentException>(() => new Trainer(model, new Adam(model), new OneSineTask(0), new TrainerOptions { TasksPerStep = 1, SamplesPerTask = 5, Regularizer = new OutputRegularizer(other, 0.1f, 1) }));
        Assert.Contains("Regularizer was created for another model", exception.Message);
    }

    [Fact]
    public void A_diverging_run_stops_with_a_clear_error()
    {
        var model = new SineHyper(maxTasks: 4, maxSamplesPerTask: 5);
        model.Initialize(1);
        var trainer = new Trainer(model, new Sgd(SineHyper.ParameterCount, learningRate: 1e6f), new SineTasks(), new TrainerOptions { Steps = 200, TasksPerStep = 4, SamplesPerTask = 5 });
        var exception = Assert.Throws<InvalidOperationException>(() => trainer.Run());
        Assert.Contains("training diverged", exception.Message);
    }

    [Fact]
    public void Few_shot_adaptation_fits_an_unseen_task_with_theta_frozen()
    {
        Train(seed: 3, steps: 1500, out _, out SineHyper model);
        float[] before = model.Parameters.ToArray();
        var task = (Amplitude: 2.2f, Phase: 1.1f);
        float[] xs = Enumerable.Range(0, 5).Select(i => -4f + (2f * i)).ToArray();
        float[] ys = xs.Select(x => task.Amplitude * MathF.Sin(x - task.Phase)).ToArray();
        float[] embedding = new float[SineHyper.EmbeddingSize];
        FewShot.MeanEmbedding(model, embedding);
        float[] outputs = new float[5];
        model.Predict(embedding, default, xs, 5, outputs);
        float start = Losses.Value(Loss.MeanSquaredError, outputs, ys, 5, 1);

        float adapted = FewShot.Adapt(model, xs, ys, 5, Loss.MeanSquaredError, embedding, default, new FewShotOptions { Steps = 200, StartCandidates = 0 }).Loss;

        Assert.True(adapted < start / 5, $"support loss {start} -> {adapted}");
        Assert.Equal(before, model.Parameters.ToArray());
    }

    private static TrainingSummary Train(int seed, int steps, out float[] parameters)
    {
        TrainingSummary summary = Train(seed, steps, out parameters, out _);
        return summary;
    }

    private static TrainingSummary Train(int seed, int steps, out float[] parameters, out SineHyper model)
    {
        model = new SineHyper(maxTasks: 8, maxSamplesPerTask: 10);
        model.Initialize(seed);
        var trainer = new Trainer(model, new Adam(SineHyper.ParameterCount, learningRate: 2e-3f), new SineTasks(), new TrainerOptions
        {
            Steps = steps,
            TasksPerStep = 8,
            SamplesPerTask = 10,
            Seed = seed,
            ClipNorm = 10f,
        });
        TrainingSummary summary = trainer.Run();
        parameters = model.Parameters.ToArray();
        return summary;
    }

    /// <summary>Sine curves y = A·sin(x − φ), one per task id of SineHyper's table.</summary>

    /// <summary>One task of SineTasks only, as continual learning trains them.</summary>
    private sealed class OneSineTask(int id) : ITaskSampler
    {
        public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
        {
            float amplitude = 0.1f + (4.9f * (id % 37) / 36f);
            float phase = MathF.PI * (id % 11) / 10f;
            for (int t = 0; t < taskIds.Length; t++)
            {
                taskIds[t] = id;
                for (int s = 0; s < samplesPerTask; s++)
                {
                    float x = -5f + (10f * random.NextSingle());
                    inputs[(t * samplesPerTask) + s] = x;
                    targets[(t * samplesPerTask) + s] = amplitude * MathF.Sin(x - phase);
                }
            }
        }
    }

    internal sealed class SineTasks : ITaskSampler
    {
        public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
        {
            for (int t = 0; t < taskIds.Length; t++)
            {
                int id = random.Next(SineHyper.Tasks);
                taskIds[t] = id;
                float amplitude = 0.1f + (4.9f * (id % 37) / 36f);
                float phase = MathF.PI * (id % 11) / 10f;
                for (int s = 0; s < samplesPerTask; s++)
                {
                    float x = -5f + (10f * random.NextSingle());
                    inputs[(t * samplesPerTask) + s] = x;
                    targets[(t * samplesPerTask) + s] = amplitude * MathF.Sin(x - phase);
                }
            }
        }
    }
}

/// <summary>The trainer on episodes: a hypernetwork with a task encoder learns from support and query sets.</summary>
public sealed class EpisodeTrainerTests
{
    /// <summary>
    /// After training on episodes of lines y = a·x + b, the encoder hypernetwork predicts an unseen line from 4 points
    /// far better than at the start; the run is reproducible for a seed.
    /// </summary>
    [Fact]
    public void A_hypernetwork_with_an_encoder_learns_from_episodes_and_the_same_seed_gives_the_same_run()
    {
        (TrainingSummary summary, float[] theta, MeanEncoderHyper model) = Train(seed: 4, steps: 1500);
        Assert.True(summary.RecentLoss < summary.FirstLoss / 10, $"query loss {summary.FirstLoss} -> {summary.RecentLoss}");
        (_, float[] again, _) = Train(seed: 4, steps: 1500);
        Assert.Equal(theta, again);

        // An unseen offset, c = 0.2, from 4 support pairs.
        float[] supportX = { -0.8f, 0.1f, 0.4f, -0.2f, 0.9f, -0.6f, 0.3f, 0.7f };
        float[] supportY = Lines.Targets(supportX, 0.5f, -0.3f, 0.2f);
        float[] queryX = { 0.2f, 0.2f, -0.5f, 0.6f, 0.8f, -0.9f };
        float[] expected = Lines.Targets(queryX, 0.5f, -0.3f, 0.2f);
        float[] predicted = new float[6];
        model.Predict(supportX, supportY, 4, queryX, 3, predicted);
        double error = predicted.Zip(expected, (p, e) => (p - e) * (p - e)).Average();
        Assert.True(error < 0.05, $"query MSE {error} on an unseen line");
    }

    [Fact]
    public void Samplers_that_do_not_fit_the_model_are_refused()
    {
        var encoderModel = new MeanEncoderHyper(maxTasks: 2, maxSamplesPerTask: 2, maxSupportPerTask: 2);
        var plainModel = new SineHyper(maxTasks: 2, maxSamplesPerTask: 2);
        var options = new TrainerOptions { Steps = 1, TasksPerStep = 2, SamplesPerTask = 2 };
        Assert.Contains("IEpisodeSampler", Assert.Throws<ArgumentException>(() => new Trainer(encoderModel, new Adam(encoderModel), new TrainerTests.SineTasks(), options)).Message);
        Assert.Contains("no task encoder", Assert.Throws<ArgumentException>(() => new Trainer(plainModel, new Adam(plainModel), new Lines(), options)).Message);
        var empty = new Trainer(encoderModel, new Adam(encoderModel), new Lines(supportSize: 0), options);
        Assert.Contains("0 pairs", Assert.Throws<InvalidOperationException>(() => empty.Run()).Message);
    }

    private static (TrainingSummary Summary, float[] Theta, MeanEncoderHyper Model) Train(int seed, int steps)
    {
        var model = new MeanEncoderHyper(maxTasks: 8, maxSamplesPerTask: 6, maxSupportPerTask: 6);
        model.Initialize(seed);
        var trainer = new Trainer(model, new Adam(model), new Lines(), new TrainerOptions
        {
            Steps = steps,
            TasksPerStep = 8,
            SamplesPerTask = 6,
            Seed = seed,
            Schedule = new CosineSchedule(peak: 1e-2f, totalSteps: steps, warmupSteps: 50),
            ClipNorm = 10f,
        });
        return (trainer.Run(), model.Parameters.ToArray(), model);
    }

    /// <summary>
    /// Episodes of TinyTarget-shaped tasks (2 inputs, 2 outputs): y = (0.5·x0 − 0.3·x1 + c, −(0.5·x0 − 0.3·x1 + c)),
    /// the offset c uniform in ±1 per task, support sets of 2 to 6 pairs (or a fixed size).
    /// </summary>
    private sealed class Lines(int? supportSize = null) : IEpisodeSampler
    {
        public static float[] Targets(float[] inputs, float a, float b, float c)
        {
            float[] targets = new float[inputs.Length];
            for (int i = 0; i < inputs.Length; i += 2)
            {
                float y = (a * inputs[i]) + (b * inputs[i + 1]) + c;
                targets[i] = y;
                targets[i + 1] = -y;
            }

            return targets;
        }

        public void Sample(Random random, Span<int> taskIds, Span<float> conditions, Span<int> supportSizes, Span<float> supportInputs, Span<float> supportTargets, Span<float> queryInputs, Span<float> queryTargets, int queryPerTask)
        {
            int pairs = 0;
            for (int t = 0; t < supportSizes.Length; t++)
            {
                const float a = 0.5f, b = -0.3f;
                float c = Uniform(random);
                supportSizes[t] = supportSize ?? random.Next(2, 7);
                Fill(random, supportInputs.Slice(2 * pairs, 2 * supportSizes[t]), supportTargets.Slice(2 * pairs, 2 * supportSizes[t]), a, b, c);
                Fill(random, queryInputs.Slice(2 * t * queryPerTask, 2 * queryPerTask), queryTargets.Slice(2 * t * queryPerTask, 2 * queryPerTask), a, b, c);
                pairs += supportSizes[t];
            }
        }

        private static float Uniform(Random random) => (2f * random.NextSingle()) - 1f;

        private static void Fill(Random random, Span<float> inputs, Span<float> targets, float a, float b, float c)
        {
            for (int i = 0; i < inputs.Length; i += 2)
            {
                inputs[i] = Uniform(random);
                inputs[i + 1] = Uniform(random);
                float y = (a * inputs[i]) + (b * inputs[i + 1]) + c;
                targets[i] = y;
                targets[i + 1] = -y;
            }
        }
    }
}
