using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using HyperDsl.Checkpoints;

namespace HyperDsl.Training;

/// <summary>Settings of a <see cref="Trainer"/> run.</summary>
public sealed class TrainerOptions
{
    /// <summary>Optimizer steps to take. Default 1000.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Tasks per meta-batch, at most the model's MaxTasks. Default 25.</summary>
    public int TasksPerStep { get; init; } = 25;

    /// <summary>Samples per task, at most the model's MaxSamplesPerTask. Default 10.</summary>
    public int SamplesPerTask { get; init; } = 10;

    /// <summary>The loss. Default mean squared error.</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>Seeds the task sampling; the same seed (and the same θ at the start) gives the same run.</summary>
    public int Seed { get; init; }

    /// <summary>Sets the optimizer's learning rate before each step; null keeps it as it is.</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>Clips the gradient to this Euclidean norm before each step; 0 (the default) does not clip.</summary>
    public float ClipNorm { get; init; }

    /// <summary>Calls <see cref="Evaluate"/> every this many steps, and after the last; 0 (the default) never does.</summary>
    public int EvaluateEvery { get; init; }

    /// <summary>Evaluates the model, e.g. the loss on held-out tasks; the value goes to the log and the progress line.</summary>
    public Func<double>? Evaluate { get; init; }

    /// <summary>The name of the evaluation's value in the log and the progress line. Default "eval".</summary>
    public string EvaluationName { get; init; } = "eval";

    /// <summary>A metrics log: CSV, or JSON lines when the name ends in <c>.jsonl</c>; null writes none.</summary>
    public string? MetricsPath { get; init; }

    /// <summary>Steps between lines of the metrics log. Default 10.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Where the progress line goes (step, loss, steps/s, ETA); null shows none.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Time between progress updates. Default half a second.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// A safetensors checkpoint (θ, the optimizer's state and the step; see <see cref="Checkpoint"/>) written, atomically,
    /// every <see cref="CheckpointEvery"/> steps and after the last; null writes none.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Steps between checkpoints; 0 (the default) writes one after the last step only.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// An output regulariser for the model (continual learning), whose penalty's gradient each step adds before clipping;
    /// the loss the run reports is then the task loss plus the penalty. Null (the default) for none.
    /// </summary>
    public OutputRegularizer? Regularizer { get; init; }

    /// <summary>
    /// Whether the <see cref="Regularizer"/>'s penalty is taken where the optimizer's next step would put θ (the paper's
    /// look-ahead; see <see cref="OutputRegularizer.AddGradients(IOptimizer)"/>) rather than at θ. Default false.
    /// </summary>
    public bool RegularizerLookahead { get; init; }
}

/// <summary>What a training run did.</summary>
/// <param name="Steps">Steps taken.</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="FinalLoss">The meta-batch loss of the last step.</param>
/// <param name="RecentLoss">The mean loss of the last 100 steps (or all, if fewer).</param>
/// <param name="FirstLoss">The meta-batch loss of the first step.</param>
/// <param name="LastEvaluation">The last value of the evaluation, or NaN when there was none.</param>
public sealed record TrainingSummary(int Steps, TimeSpan Elapsed, float FinalLoss, float RecentLoss, float FirstLoss, double LastEvaluation);

/// <summary>
/// Trains any hypernetwork: draws meta-batches from a task sampler (episodes of support and query sets, for a
/// hypernetwork with a task encoder), computes the gradients, clips them, sets the learning rate from a schedule and
/// steps the optimizer; shows progress, writes a metrics log and evaluates periodically.
/// A step allocates nothing (the log and the progress line allocate only when they write).
/// </summary>
public sealed class Trainer
{
    private readonly IHyperModel model;
    private readonly IOptimizer optimizer;
    private readonly ITaskSampler? sampler;
    private readonly IEpisodeSampler? episodes;
    private readonly TrainerOptions options;
    private readonly int[] supportSizes;
    private readonly float[] supportInputs;
    private readonly float[] supportTargets;
    private readonly int[] taskIds;
    private readonly float[] inputs;
    private readonly float[] targets;
    private readonly float[] conditions;

    /// <summary>Prepares a run; every buffer of a step is allocated here.</summary>
    /// <param name="model">The hypernetwork to train.</param>
    /// <param name="optimizer">The optimizer, created for the model (<c>new Adam(model)</c>), so that it follows the model's Threads.</param>
    /// <param name="sampler">Draws the meta-batches.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">A setting does not fit the model, or the optimizer was created for another model or, with two threads, for a parameter count.</exception>
    public Trainer(IHyperModel model, IOptimizer optimizer, ITaskSampler sampler, TrainerOptions options)
        : this(model, optimizer, sampler ?? throw new ArgumentNullException(nameof(sampler)), null, options)
    {
    }

    /// <summary>Prepares a run of a hypernetwork with a task encoder, on episodes (support and query sets); every buffer of a step is allocated here.</summary>
    /// <param name="model">The hypernetwork to train, with a task encoder.</param>
    /// <param name="optimizer">The optimizer, created for the model (<c>new Adam(model)</c>), so that it follows the model's Threads.</param>
    /// <param name="sampler">Draws the episodes.</param>
    /// <param name="options">The settings; SamplesPerTask is the query set's size.</param>
    /// <exception cref="ArgumentException">A setting does not fit the model, the model has no task encoder, or the optimizer was created for another model.</exception>
    public Trainer(IHyperModel model, IOptimizer optimizer, IEpisodeSampler sampler, TrainerOptions options)
        : this(model, optimizer, null, sampler ?? throw new ArgumentNullException(nameof(sampler)), options)
    {
    }

    private Trainer(IHyperModel model, IOptimizer optimizer, ITaskSampler? sampler, IEpisodeSampler? episodes, TrainerOptions options)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        this.sampler = sampler;
        this.episodes = episodes;
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        if (episodes is null && model.MaxSupportPerTask > 0)
        {
            throw new ArgumentException($"{model.GetType().Name} encodes each task's support set; give the trainer an IEpisodeSampler, which draws support and query sets.", nameof(sampler));
        }

        if (episodes is not null && model.MaxSupportPerTask == 0)
        {
            throw new ArgumentException($"{model.GetType().Name} has no task encoder to read support sets; give the trainer an ITaskSampler.", nameof(sampler));
        }

        CheckOptimizer(nameof(optimizer));
        if (options.Steps < 0)
        {
            throw new ArgumentException($"Steps is {options.Steps}; it must be at least 0.", nameof(options));
        }

        if (options.TasksPerStep < 1 || options.TasksPerStep > model.MaxTasks)
        {
            throw new ArgumentException($"TasksPerStep is {options.TasksPerStep}; the model was built for 1 to {model.MaxTasks} tasks per batch.", nameof(options));
        }

        if (options.SamplesPerTask < 1 || options.SamplesPerTask > model.MaxSamplesPerTask)
        {
            throw new ArgumentException($"SamplesPerTask is {options.SamplesPerTask}; the model was built for 1 to {model.MaxSamplesPerTask}.", nameof(options));
        }

        if (options.LogEvery < 1 || options.EvaluateEvery < 0 || options.ClipNorm < 0f || options.CheckpointEvery < 0)
        {
            throw new ArgumentException("LogEvery must be at least 1, EvaluateEvery, CheckpointEvery and ClipNorm at least 0.", nameof(options));
        }

        if (options.Regularizer is not null && !ReferenceEquals(options.Regularizer.Model, model))
        {
            throw new ArgumentException("The Regularizer was created for another model; create it for the one being trained.", nameof(options));
        }

        if (options.CheckpointPath is not null && (model is not IHyperCheckpoint || optimizer is not IOptimizerCheckpoint))
        {
            throw new ArgumentException($"CheckpointPath is set, but {(model is not IHyperCheckpoint ? model.GetType().Name : optimizer.GetType().Name)} cannot be saved in a checkpoint (generated hypernetworks and Sgd, Adam, AdamW can).", nameof(options));
        }

        int samples = options.TasksPerStep * options.SamplesPerTask;
        taskIds = new int[model.Tasks > 0 ? options.TasksPerStep : 0];
        inputs = new float[samples * model.InputSize];
        targets = new float[samples * model.OutputSize];
        conditions = new float[options.TasksPerStep * model.ConditionSize];
        int pairs = episodes is null ? 0 : options.TasksPerStep * model.MaxSupportPerTask;
        supportSizes = new int[episodes is null ? 0 : options.TasksPerStep];
        supportInputs = new float[pairs * model.InputSize];
        supportTargets = new float[pairs * model.OutputSize];
    }

    /// <summary>Runs the steps.</summary>
    /// <param name="cancellationToken">Stops the run between steps.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite: training diverged.</exception>
    /// <exception cref="ArgumentException">The model's Threads was set to 2 after the trainer was made, and the optimizer was created for a parameter count.</exception>
    public TrainingSummary Run(CancellationToken cancellationToken = default)
    {
        CheckOptimizer("optimizer");
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        using TextWriter? log = OpenLog(options.MetricsPath, out bool jsonLines);
        CreateFolder(options.CheckpointPath);
        Span<float> recent = stackalloc float[100];
        float firstLoss = float.NaN;
        float loss = float.NaN;
        double evaluation = double.NaN;
        TimeSpan lastProgress = TimeSpan.Zero;
        int step = 0;
        while (step < options.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step++;
            if (options.Schedule is not null)
            {
                optimizer.LearningRate = options.Schedule.LearningRate(step);
            }

            loss = model.ComputeGradients(NextBatch(random), options.Loss);
            if (options.Regularizer is not null)
            {
                loss += options.RegularizerLookahead ? options.Regularizer.AddGradients(optimizer) : options.Regularizer.AddGradients();
            }

            if (!float.IsFinite(loss))
            {
                throw new InvalidOperationException($"Step {step}: the loss is {loss.ToString(CultureInfo.InvariantCulture)}; training diverged (try a smaller learning rate or ClipNorm).");
            }

            if (step == 1)
            {
                firstLoss = loss;
            }

            if (options.ClipNorm > 0f)
            {
                GradientClipping.ClipByNorm(model.Gradients, options.ClipNorm);
            }

            optimizer.Step(model.Parameters, model.Gradients);
            recent[(step - 1) % recent.Length] = loss;
            if (options.CheckpointPath is not null && ((options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0) || step == options.Steps))
            {
                Checkpoint.Save(options.CheckpointPath, model, optimizer, step);
            }

            bool evaluate = options.Evaluate is not null && options.EvaluateEvery > 0 && (step % options.EvaluateEvery == 0 || step == options.Steps);
            if (evaluate)
            {
                evaluation = options.Evaluate!();
            }

            if (log is not null && (step % options.LogEvery == 0 || evaluate || step == options.Steps))
            {
                WriteLogLine(log, jsonLines, step, loss, evaluate ? evaluation : double.NaN, clock.Elapsed);
            }

            if (options.Progress is not null && (clock.Elapsed - lastProgress >= options.ProgressInterval || evaluate || step == options.Steps))
            {
                lastProgress = clock.Elapsed;
                WriteProgress(options.Progress, step, loss, evaluation, clock.Elapsed);
            }
        }

        if (options.Progress is not null && step > 0 && !Console.IsOutputRedirected && ReferenceEquals(options.Progress, Console.Out))
        {
            options.Progress.WriteLine();
        }

        int kept = Math.Min(step, recent.Length);
        float recentLoss = kept == 0 ? float.NaN : System.Numerics.Tensors.TensorPrimitives.Sum<float>(recent[..kept]) / kept;
        return new TrainingSummary(step, clock.Elapsed, loss, recentLoss, firstLoss, evaluation);
    }

    /// <summary>
    /// The model's Threads is the one setting for a step: an optimizer of the library's must have been created for this
    /// model, or — on one thread, where nothing is split — for its parameter count.
    /// </summary>
    /// <summary>Draws the next meta-batch: tasks with their samples, or episodes with a support set per task.</summary>
    private TaskBatch NextBatch(Random random)
    {
        if (episodes is null)
        {
            sampler!.Sample(random, taskIds, inputs, targets, conditions, options.SamplesPerTask);
            return new TaskBatch(taskIds, inputs, targets, options.SamplesPerTask, conditions);
        }

        episodes.Sample(random, taskIds, conditions, supportSizes, supportInputs, supportTargets, inputs, targets, options.SamplesPerTask);
        int pairs = 0;
        foreach (int size in supportSizes)
        {
            if (size < 1 || size > model.MaxSupportPerTask)
            {
                throw new InvalidOperationException($"The episode sampler gave a support set of {size} pairs; the model takes 1 to {model.MaxSupportPerTask}.");
            }

            pairs += size;
        }

        return new TaskBatch(taskIds, inputs, targets, options.SamplesPerTask, conditions)
            .WithSupport(supportInputs.AsSpan(0, pairs * model.InputSize), supportTargets.AsSpan(0, pairs * model.OutputSize), supportSizes);
    }

    private void CheckOptimizer(string argument)
    {
        if (optimizer is not IModelOptimizer library)
        {
            return;
        }

        if (library.Model is { } other && !ReferenceEquals(other, model))
        {
            throw new ArgumentException("The optimizer was created for another model; create it for the one being trained, e.g. new Adam(model).", argument);
        }

        if (library.Model is null && model.Threads != 1)
        {
            throw new ArgumentException($"The model uses {model.Threads} threads, but the optimizer was created for a parameter count and would update θ on one; create it for the model (new Adam(model)) so that it follows the model's Threads.", argument);
        }
    }

    private static TextWriter? OpenLog(string? path, out bool jsonLines)
    {
        jsonLines = path is not null && path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
        if (path is null)
        {
            return null;
        }

        CreateFolder(path);
        var writer = new StreamWriter(path, append: false);
        if (!jsonLines)
        {
            writer.WriteLine("step,loss,learning_rate,seconds,evaluation");
        }

        return writer;
    }

    /// <summary>Creates the folder of an output file, as a user who names <c>runs/a/log.csv</c> expects.</summary>
    private static void CreateFolder(string? path)
    {
        string? directory = path is null ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    private void WriteLogLine(TextWriter log, bool jsonLines, int step, float loss, double evaluation, TimeSpan elapsed)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        string evaluated = double.IsNaN(evaluation) ? (jsonLines ? "null" : string.Empty) : evaluation.ToString("R", invariant);
        log.WriteLine(jsonLines
            ? $"{{\"step\":{step},\"loss\":{loss.ToString("R", invariant)},\"learning_rate\":{optimizer.LearningRate.ToString("R", invariant)},\"seconds\":{elapsed.TotalSeconds.ToString("F3", invariant)},\"{options.EvaluationName}\":{evaluated}}}"
            : $"{step},{loss.ToString("R", invariant)},{optimizer.LearningRate.ToString("R", invariant)},{elapsed.TotalSeconds.ToString("F3", invariant)},{evaluated}");
    }

    private void WriteProgress(TextWriter progress, int step, float loss, double evaluation, TimeSpan elapsed)
    {
        double rate = step / Math.Max(elapsed.TotalSeconds, 1e-9);
        double remaining = (options.Steps - step) / Math.Max(rate, 1e-9);
        string evaluated = double.IsNaN(evaluation) ? string.Empty : $"  {options.EvaluationName} {evaluation.ToString("G4", CultureInfo.InvariantCulture)}";
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"step {step,7}/{options.Steps}  loss {loss,10:G4}{evaluated}  {rate,7:F0} steps/s  ETA {remaining,6:F1} s");

        // A terminal gets one line rewritten in place; a redirected output gets one line per update.
        if (ReferenceEquals(progress, Console.Out) && !Console.IsOutputRedirected)
        {
            progress.Write("\r" + line);
        }
        else
        {
            progress.WriteLine(line);
        }
    }
}
