using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;
using HyperDsl.Training;

namespace HyperDsl;

/// <summary>
/// A hypernetwork for the target network <typeparamref name="TTarget"/>: θ, its gradients, and every buffer a step
/// needs, allocated once in the constructor. Generated hypernetwork classes derive from it; their generated part holds
/// the layout and the generator network's kernels, this class the orchestration: embeddings in, W out, the target's
/// forward and backward per task, the generator's backward, the gradients of the embeddings.
/// </summary>
/// <typeparam name="TTarget">The target network whose parameters are generated.</typeparam>
/// <remarks>
/// An instance is not thread-safe: its buffers serve one call at a time. Nothing is allocated after construction.
/// </remarks>
public abstract class HyperNetworkModel<TTarget> : IHyperModel, Checkpoints.IHyperCheckpoint
    where TTarget : ITargetNetwork
{
    private readonly HyperNetworkDescription description;
    private readonly IGeneratorKernels generator;
    private readonly int maxTasks;
    private readonly int maxSamplesPerTask;
    private readonly float[] parameters;
    private readonly float[] gradients;
    private readonly float[] generatorInputs;
    private readonly float[] generated;
    private readonly float[] generatedGradients;
    private readonly float[] generatorInputGradients;
    private readonly float[] frozenGradients;

    // The buffers one thread needs for its share of a step; the second exists only with Threads = 2.
    private readonly Lane primary;
    private readonly StepWork stepWork;
    private Lane? secondary;

    // With Threads = 2: ∂L/∂(the head's inputs) of all rows, whose columns the two threads share, and each task's loss,
    // summed in task order after both threads are done.
    private float[] headInputGradients = Array.Empty<float>();
    private float[] taskLosses = Array.Empty<float>();

    // With Threads = 2: the head's sums over the second half of its inputs, which the first half's sums (in generated)
    // receive before the target passes.
    private float[] secondHalfSums = Array.Empty<float>();
    private ParallelWorker? worker;

    // Per target parameter: the standard deviation hyperfan initialisation aims at. A chunked head serves every layer
    // with the same columns, so there it is also a fixed factor on the head's output (see Initialize).
    private readonly float[] parameterScale;

    // "Name.Method" for messages, built once: a step must not allocate.
    private readonly MethodNames names;

    /// <summary>Allocates θ, its gradients and every buffer for meta-batches of up to the given size.</summary>
    /// <param name="description">The generated layout.</param>
    /// <param name="generator">The generated kernels of the generator network g.</param>
    /// <param name="maxTasks">The most tasks one meta-batch may hold, at least 1.</param>
    /// <param name="maxSamplesPerTask">The most samples per task, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is below 1, or the buffers would not fit in arrays.</exception>
    protected HyperNetworkModel(HyperNetworkDescription description, IGeneratorKernels generator, int maxTasks, int maxSamplesPerTask)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(generator);
        if (maxTasks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTasks), maxTasks, $"{description.Name}: maxTasks must be at least 1.");
        }

        if (maxSamplesPerTask < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSamplesPerTask), maxSamplesPerTask, $"{description.Name}: maxSamplesPerTask must be at least 1.");
        }

        if (description.HeadUnits * (long)description.ChunkCount < TTarget.ParameterCount)
        {
            throw new InvalidOperationException($"{description.Name}: the head does not cover the target's {TTarget.ParameterCount} parameters.");
        }

        this.description = description;
        this.generator = generator;
        names = new MethodNames(description.Name);
        this.maxTasks = maxTasks;
        this.maxSamplesPerTask = maxSamplesPerTask;
        int rows = Capacity(nameof(maxTasks), maxTasks, description.ChunkCount);
        parameters = new float[description.ParameterCount];
        gradients = new float[description.ParameterCount];
        generatorInputs = new float[Capacity(nameof(maxTasks), rows, description.GeneratorInputSize)];
        generated = new float[Capacity(nameof(maxTasks), rows, description.HeadUnits)];
        generatedGradients = new float[generated.Length];
        generatorInputGradients = new float[generatorInputs.Length];
        frozenGradients = new float[description.GeneratorParameterCount];
        primary = new Lane(description, rows, maxSamplesPerTask, withGenerator: true);
        stepWork = new StepWork(this);
        parameterScale = new float[TTarget.ParameterCount];
        SetParameterScale(HyperfanInit.FanIn);
    }

    /// <summary>θ, flat, laid out as the generated <c>Layout</c> says.</summary>
    public Span<float> Parameters => parameters;

    /// <summary>∂(mean loss)/∂θ from the last <see cref="ComputeGradients"/>, flat.</summary>
    public Span<float> Gradients => gradients;

    /// <summary>The learned task-embedding table, <c>[Tasks × EmbeddingSize]</c> row-major: a view into θ.</summary>
    public ReadOnlySpan<float> TaskEmbeddings => parameters.AsSpan(0, description.Tasks * description.EmbeddingSize);

    /// <summary>The most tasks one meta-batch may hold.</summary>
    public int MaxTasks => maxTasks;

    HyperNetworkDescription Checkpoints.IHyperCheckpoint.Description => description;

    float[] Checkpoints.IHyperCheckpoint.ParameterBuffer => parameters;

    float[]? Checkpoints.IHyperCheckpoint.OutputScale => IsChunked ? parameterScale : null;

    /// <summary>The most samples per task.</summary>
    public int MaxSamplesPerTask => maxSamplesPerTask;

    /// <summary>
    /// Threads a ComputeGradients call uses: 1 (the default) or 2. With 2, a persistent helper thread takes half of the
    /// head's inputs — its sum over them in the forward pass, and those rows of the head's weight gradient and columns
    /// of its input gradient in the backward pass — and half of the tasks' target passes. The two halves of the head's
    /// sum are added in a fixed order, so results are the same from run to run (and equal to 1 thread's to rounding).
    /// The helper thread is the process's one, shared with optimizers. Setting it to 2 allocates the second thread's
    /// buffers; a step with either setting allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 or 2.</exception>
    public int Threads
    {
        get => worker is null ? 1 : 2;
        set
        {
            if (value is not (1 or 2))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{description.Name}.Threads must be 1 or 2.");
            }

            if (value == 2)
            {
                if (secondary is null)
                {
                    secondary = new Lane(description, maxTasks * description.ChunkCount, maxSamplesPerTask, withGenerator: false);
                    headInputGradients = new float[Capacity("maxTasks", maxTasks * (long)description.ChunkCount, description.HeadInputs)];
                    taskLosses = new float[maxTasks];
                    secondHalfSums = new float[generated.Length];
                }

                worker = ParallelWorker.Shared;
            }
            else
            {
                worker = null;
            }
        }
    }


    int IHyperModel.ParameterCount => description.ParameterCount;

    int IHyperModel.TargetParameterCount => TTarget.ParameterCount;

    int IHyperModel.InputSize => TTarget.InputSize;

    int IHyperModel.OutputSize => TTarget.OutputSize;

    int IHyperModel.Tasks => description.Tasks;

    int IHyperModel.EmbeddingSize => description.EmbeddingSize;

    int IHyperModel.ConditionSize => description.ConditionSize;

    private bool IsChunked => description.ChunkSize > 0;

    private Span<float> GeneratorParameters => parameters.AsSpan(description.GeneratorOffset, description.GeneratorParameterCount);

    /// <summary>Hyperfan-in initialisation; see <see cref="Initialize(int, HyperfanInit)"/>.</summary>
    /// <param name="seed">The seed; the same seed gives the same θ.</param>
    public void Initialize(int seed) => Initialize(seed, HyperfanInit.FanIn);

    /// <summary>
    /// Initialises θ deterministically for a seed (whatever the capacity the instance was built with): task and chunk embeddings N(0, 1); body layers Kaiming-normal for
    /// their activation, biases 0; the head so that each generated target layer starts with the variance
    /// <paramref name="init"/> asks for (Chang, Sacramento and Steger, ICLR 2020).
    /// </summary>
    /// <remarks>
    /// The head's input h has a second moment m² that depends on the body; it is measured on a probe batch of embeddings
    /// at initialisation, and the head's weights are drawn with variance (target variance) / (fan-in · m²), per
    /// generated parameter. A chunked head generates parameters of different layers with the same columns, so there the
    /// head is drawn for unit variance and each generated parameter is multiplied by the standard deviation its layer
    /// needs — a fixed factor, part of the chunked hypernetwork's definition from then on.
    /// </remarks>
    /// <param name="seed">The seed; the same seed gives the same θ.</param>
    /// <param name="init">Which variance to aim at.</param>
    public void Initialize(int seed, HyperfanInit init)
    {
        if (init is not (HyperfanInit.FanIn or HyperfanInit.FanOut))
        {
            throw new ArgumentOutOfRangeException(nameof(init), init, $"{description.Name}.Initialize: {(int)init} is not a member of HyperfanInit.");
        }

        var random = new Random(seed);
        Array.Clear(parameters);
        Gaussian.Fill(random, parameters.AsSpan(0, description.Tasks * description.EmbeddingSize), 1.0);
        Gaussian.Fill(random, parameters.AsSpan(description.ChunkEmbeddingsOffset, description.ChunkCount * description.ChunkEmbeddingSize), 1.0);

        Span<float> g = GeneratorParameters;
        var layers = description.GeneratorLayers;
        for (int l = 0; l < layers.Count - 1; l++)
        {
            LayerDescription layer = layers[l];
            Gaussian.Fill(random, g.Slice(layer.WeightsOffset, layer.Inputs * layer.Units), Math.Sqrt(Gain(layer.Activation) / layer.Inputs));
        }

        SetParameterScale(init);
        LayerDescription head = layers[layers.Count - 1];
        double headInputMoment = MeasureHeadInputMoment(random);
        double unit = 1.0 / (head.Inputs * headInputMoment);
        Span<float> headWeights = g.Slice(head.WeightsOffset, head.Inputs * head.Units);
        Gaussian.Fill(random, headWeights, Math.Sqrt(unit));
        if (!IsChunked)
        {
            // Column o of the head generates target parameter o: scale it to that parameter's target deviation.
            for (int j = 0; j < head.Inputs; j++)
            {
                TensorPrimitives.Multiply(headWeights.Slice(j * head.Units, head.Units), parameterScale, headWeights.Slice(j * head.Units, head.Units));
            }
        }
    }

    /// <inheritdoc/>
    public float ComputeGradients(TaskBatch batch, Loss loss)
    {
        string method = names.ComputeGradients;
        int tasks = CheckBatch(method, batch, loss);
        int samples = batch.SamplesPerTask;
        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        int rows = tasks * description.ChunkCount;
        for (int t = 0; t < tasks; t++)
        {
            ReadOnlySpan<float> embedding = description.Tasks > 0 ? Embedding(batch.TaskIds[t]) : ReadOnlySpan<float>.Empty;
            ReadOnlySpan<float> condition = description.ConditionSize > 0
                ? batch.Conditions.Slice(t * description.ConditionSize, description.ConditionSize)
                : ReadOnlySpan<float>.Empty;
            WriteGeneratorInputs(t, embedding, condition);
        }

        Span<float> generatorGradients = gradients.AsSpan(description.GeneratorOffset, description.GeneratorParameterCount);
        double total;
        if (worker is null)
        {
            Array.Clear(gradients);
            total = RunLane(primary, 0, tasks, batch.Inputs, batch.Targets, samples, loss, 1f / tasks, generatorGradients);
        }
        else
        {
            stepWork.Run(batch.Inputs, batch.Targets, samples, loss, tasks);
            total = 0;
            for (int t = 0; t < tasks; t++)
            {
                total += taskLosses[t];
            }
        }

        // The generator's input gradients flow to the embeddings that made the inputs.
        int embeddingSize = description.EmbeddingSize;
        for (int t = 0; t < tasks; t++)
        {
            for (int k = 0; k < description.ChunkCount; k++)
            {
                ReadOnlySpan<float> row = GeneratorInputGradients(t, k);
                if (embeddingSize > 0)
                {
                    Span<float> embeddingGradient = gradients.AsSpan(batch.TaskIds[t] * embeddingSize, embeddingSize);
                    TensorPrimitives.Add(embeddingGradient, row[..embeddingSize], embeddingGradient);
                }

                if (IsChunked)
                {
                    Span<float> chunkGradient = gradients.AsSpan(description.ChunkEmbeddingsOffset + (k * description.ChunkEmbeddingSize), description.ChunkEmbeddingSize);
                    TensorPrimitives.Add(chunkGradient, row[description.TaskInputSize..], chunkGradient);
                }
            }
        }

        return (float)(total / tasks);
    }

    /// <inheritdoc/>
    public void GenerateFromEmbedding(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, Span<float> targetParameters)
    {
        string method = names.GenerateFromEmbedding;
        CheckEmbedding(method, embedding, condition);
        CheckTargetParameters(method, targetParameters);
        WriteGeneratorInputs(0, embedding, condition);
        GenerateRows(primary, 0, 1);
        GeneratedParameters(0).CopyTo(targetParameters);
    }

    /// <inheritdoc/>
    public float ComputeEmbeddingGradient(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> embeddingGradient)
    {
        string method = names.ComputeEmbeddingGradient;
        CheckEmbedding(method, embedding, condition);
        CheckSamples(method, inputs, targets, samples, maxSamplesPerTask, loss);
        if (embeddingGradient.Length != description.EmbeddingSize)
        {
            throw new ArgumentException($"{method}: embeddingGradient must hold EmbeddingSize = {description.EmbeddingSize} floats, but holds {embeddingGradient.Length}.", nameof(embeddingGradient));
        }

        int rows = description.ChunkCount;
        WriteGeneratorInputs(0, embedding, condition);

        // θ stays fixed: its gradient goes to a private sink, and only the input gradient is kept.
        Array.Clear(frozenGradients);
        float value = (float)RunLane(primary, 0, 1, inputs, targets, samples, loss, 1f, frozenGradients);
        embeddingGradient.Clear();
        for (int k = 0; k < rows; k++)
        {
            TensorPrimitives.Add(embeddingGradient, GeneratorInputGradients(0, k)[..description.EmbeddingSize], embeddingGradient);
        }

        return value;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, ReadOnlySpan<float> inputs, int samples, Span<float> outputs)
    {
        string method = names.Predict;
        CheckEmbedding(method, embedding, condition);
        if (samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{method}: samples must be at least 1.");
        }

        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        NetworkArguments.CheckPerSampleLength(method, nameof(inputs), inputs.Length, samples, inputSize, "InputSize");
        NetworkArguments.CheckPerSampleLength(method, nameof(outputs), outputs.Length, samples, outputSize, "OutputSize");
        FiniteCheck.Require(method, nameof(inputs), inputs[..(samples * inputSize)]);
        WriteGeneratorInputs(0, embedding, condition);
        GenerateRows(primary, 0, 1);
        ReadOnlySpan<float> weights = GeneratedParameters(0);

        // Any number of samples, in blocks the target's workspace was sized for.
        for (int start = 0; start < samples; start += maxSamplesPerTask)
        {
            int count = Math.Min(maxSamplesPerTask, samples - start);
            TTarget.Forward(weights, inputs.Slice(start * inputSize, count * inputSize), outputs.Slice(start * outputSize, count * outputSize), count, primary.TargetWorkspace);
        }
    }

    /// <summary>W for a task given by its row of the embedding table and, where the hypernetwork takes one, its condition.</summary>
    /// <param name="task">The task id, from 0 to Tasks − 1; ignored when the hypernetwork has no table.</param>
    /// <param name="condition">The condition vector, or empty when the hypernetwork takes none.</param>
    /// <param name="targetParameters">Receives W, exactly the target's ParameterCount floats.</param>
    protected void GenerateCore(int task, ReadOnlySpan<float> condition, Span<float> targetParameters)
    {
        string method = names.Generate;
        if (description.Tasks > 0 && (uint)task >= (uint)description.Tasks)
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{method}: task must be a task id from 0 to {description.Tasks - 1}.");
        }

        ReadOnlySpan<float> embedding = description.Tasks > 0 ? Embedding(task) : ReadOnlySpan<float>.Empty;
        CheckEmbedding(method, embedding, condition);
        CheckTargetParameters(method, targetParameters);
        WriteGeneratorInputs(0, embedding, condition);
        GenerateRows(primary, 0, 1);
        GeneratedParameters(0).CopyTo(targetParameters);
    }

    private static double Gain(Activation activation) => activation switch
    {
        Activation.Relu or Activation.LeakyRelu or Activation.Gelu or Activation.Silu or Activation.Softplus => 2.0,
        Activation.Tanh => 25.0 / 9.0,
        _ => 1.0,
    };

    private static int Capacity(string argument, long count, long perItem)
    {
        long size = count * perItem;
        if (size > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(argument, $"{count} × {perItem} = {size} floats do not fit in an array.");
        }

        return (int)size;
    }

    private ReadOnlySpan<float> Embedding(int task)
        => parameters.AsSpan(task * description.EmbeddingSize, description.EmbeddingSize);

    /// <summary>W of task <paramref name="task"/> of the current rows: the first P head outputs of its chunk rows.</summary>
    private Span<float> GeneratedParameters(int task)
        => generated.AsSpan(task * description.ChunkCount * description.HeadUnits, TTarget.ParameterCount);

    private ReadOnlySpan<float> GeneratorInputGradients(int task, int chunk)
        => generatorInputGradients.AsSpan(((task * description.ChunkCount) + chunk) * description.GeneratorInputSize, description.GeneratorInputSize);

    /// <summary>Writes g's input rows of task slot <paramref name="task"/>: [embedding ; condition ; chunk embedding k].</summary>
    private void WriteGeneratorInputs(int task, ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition)
    {
        int width = description.GeneratorInputSize;
        for (int k = 0; k < description.ChunkCount; k++)
        {
            Span<float> row = generatorInputs.AsSpan(((task * description.ChunkCount) + k) * width, width);
            embedding.CopyTo(row);
            condition.CopyTo(row[description.EmbeddingSize..]);
            if (IsChunked)
            {
                parameters.AsSpan(description.ChunkEmbeddingsOffset + (k * description.ChunkEmbeddingSize), description.ChunkEmbeddingSize)
                    .CopyTo(row[description.TaskInputSize..]);
            }
        }
    }

    /// <summary>
    /// One thread's share of a step: g on the rows of tasks [first, first + count), the target's forward, loss and
    /// backward for each of those tasks, and g's backward, adding g's gradient to <paramref name="generatorGradients"/>.
    /// <paramref name="inputs"/> and <paramref name="targets"/> hold those tasks' samples only. Returns the sum of
    /// the tasks' mean losses.
    /// </summary>
    private double RunLane(Lane lane, int first, int count, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, float gradientScale, Span<float> generatorGradients)
    {
        int inputSize = TTarget.InputSize;
        int outputSize = TTarget.OutputSize;
        int firstRow = first * description.ChunkCount;
        int rows = count * description.ChunkCount;
        GenerateRows(lane, first, count);
        generatedGradients.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits).Clear();
        double total = 0;
        for (int t = 0; t < count; t++)
        {
            total += TargetStep(lane, first + t, inputs.Slice(t * samples * inputSize, samples * inputSize), targets.Slice(t * samples * outputSize, samples * outputSize), samples, loss, gradientScale);
        }

        generator.Backward(
            GeneratorParameters,
            generatorInputs.AsSpan(firstRow * description.GeneratorInputSize, rows * description.GeneratorInputSize),
            generatedGradients.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits),
            rows,
            lane.GeneratorWorkspace.AsSpan(0, rows * description.GeneratorWorkspacePerRow),
            generatorGradients,
            generatorInputGradients.AsSpan(firstRow * description.GeneratorInputSize, rows * description.GeneratorInputSize),
            lane.GeneratorScratch.AsSpan(0, rows * description.GeneratorScratchPerRow));
        return total;
    }

    /// <summary>Runs g on the rows of tasks [first, first + count): one batched product per layer, the head included.</summary>
    private void GenerateRows(Lane lane, int first, int count)
    {
        int firstRow = first * description.ChunkCount;
        int rows = count * description.ChunkCount;
        generator.Forward(
            GeneratorParameters,
            generatorInputs.AsSpan(firstRow * description.GeneratorInputSize, rows * description.GeneratorInputSize),
            generated.AsSpan(firstRow * description.HeadUnits, rows * description.HeadUnits),
            rows,
            lane.GeneratorWorkspace.AsSpan(0, rows * description.GeneratorWorkspacePerRow));
        ScaleChunks(first, count);
    }

    /// <summary>For a chunked head, W = s ⊙ head output: applies the hyperfan factors to the W of tasks [first, first + count).</summary>
    private void ScaleChunks(int first, int count)
    {
        if (IsChunked)
        {
            for (int t = first; t < first + count; t++)
            {
                Span<float> weights = GeneratedParameters(t);
                TensorPrimitives.Multiply(weights, parameterScale, weights);
            }
        }
    }

    /// <summary>The target's forward, loss and backward for task slot <paramref name="task"/>; returns the task's mean loss.</summary>
    private float TargetStep(Lane lane, int task, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, Loss loss, float gradientScale)
    {
        int outputSize = TTarget.OutputSize;
        ReadOnlySpan<float> weights = GeneratedParameters(task);
        Span<float> outputs = lane.TargetOutputs.AsSpan(0, samples * outputSize);
        Span<float> outputGradients = lane.TargetOutputGradients.AsSpan(0, samples * outputSize);
        TTarget.Forward(weights, inputs, outputs, samples, lane.TargetWorkspace);
        float value = Losses.Evaluate(loss, outputs, targets, samples, outputSize, outputGradients, gradientScale);
        Span<float> weightGradients = generatedGradients.AsSpan(task * description.ChunkCount * description.HeadUnits, TTarget.ParameterCount);
        TTarget.Backward(weights, inputs, outputGradients, samples, lane.TargetWorkspace, weightGradients, Span<float>.Empty);
        if (IsChunked)
        {
            // W = s ⊙ head output, so the head's output gradient is s ⊙ ∂L/∂W.
            TensorPrimitives.Multiply(weightGradients, parameterScale, weightGradients);
        }

        return value;
    }

    /// <summary>
    /// E[h²] of the head's input h over a probe of 256 rows: embeddings from the table (or N(0, 1)), conditions N(0, 1),
    /// every chunk embedding in turn. Runs g, in batches as large as the buffers allow, with the head still zero, and
    /// reads h from g's workspace.
    /// </summary>
    private double MeasureHeadInputMoment(Random random)
    {
        const int ProbeRows = 256;
        int capacity = generated.Length / description.HeadUnits;
        int width = description.GeneratorInputSize;
        var layers = description.GeneratorLayers;
        double sum = 0;
        long count = 0;
        for (int done = 0; done < ProbeRows; done += capacity)
        {
            int rows = Math.Min(capacity, ProbeRows - done);
            Span<float> inputs = generatorInputs.AsSpan(0, rows * width);
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = inputs.Slice(r * width, width);
                if (description.Tasks > 0)
                {
                    Embedding(random.Next(description.Tasks)).CopyTo(row);
                }

                Gaussian.Fill(random, row.Slice(description.EmbeddingSize, description.ConditionSize), 1.0);
                if (IsChunked)
                {
                    int k = (done + r) % description.ChunkCount;
                    parameters.AsSpan(description.ChunkEmbeddingsOffset + (k * description.ChunkEmbeddingSize), description.ChunkEmbeddingSize)
                        .CopyTo(row[description.TaskInputSize..]);
                }
            }

            ReadOnlySpan<float> headInputs = inputs;
            if (layers.Count > 1)
            {
                generator.Forward(GeneratorParameters, inputs, generated.AsSpan(0, rows * description.HeadUnits), rows, primary.GeneratorWorkspace.AsSpan(0, rows * description.GeneratorWorkspacePerRow));
                LayerDescription last = layers[layers.Count - 2];
                headInputs = primary.GeneratorWorkspace.AsSpan(rows * last.ActivationSlot, rows * last.Units);
            }

            // Element by element in double, so that the result does not depend on how the probe was batched.
            foreach (float value in headInputs)
            {
                sum += value * (double)value;
            }

            count += headInputs.Length;
        }

        double moment = sum / count;
        return moment > 1e-12 ? moment : 1.0;
    }

    /// <summary>The standard deviation hyperfan aims at for every target parameter.</summary>
    private void SetParameterScale(HyperfanInit init)
    {
        foreach (LayerDescription layer in description.TargetLayers)
        {
            double gain = Gain(layer.Activation);
            double fan = init == HyperfanInit.FanIn ? layer.Inputs : layer.Units;
            parameterScale.AsSpan(layer.WeightsOffset, layer.Inputs * layer.Units).Fill((float)Math.Sqrt(gain / (2.0 * fan)));
            parameterScale.AsSpan(layer.BiasOffset, layer.Units).Fill((float)Math.Sqrt(gain / 2.0));
        }
    }

    private int CheckBatch(string method, TaskBatch batch, Loss loss)
    {
        int conditionSize = description.ConditionSize;
        int tasks;
        if (!batch.TaskIds.IsEmpty)
        {
            tasks = batch.TaskIds.Length;
        }
        else if (conditionSize > 0 && description.Tasks == 0)
        {
            tasks = batch.Conditions.Length / conditionSize;
        }
        else
        {
            throw new ArgumentException($"{method}: the batch has no task ids; this hypernetwork's tasks are rows of its embedding table.", nameof(batch));
        }

        if (tasks < 1 || tasks > maxTasks)
        {
            throw new ArgumentException($"{method}: the batch holds {tasks} tasks; this instance was built for 1 to {maxTasks}.", nameof(batch));
        }

        if (description.Tasks > 0)
        {
            for (int t = 0; t < tasks; t++)
            {
                int id = batch.TaskIds[t];
                if ((uint)id >= (uint)description.Tasks)
                {
                    throw new ArgumentException($"{method}: task id {id} (task {t} of the batch) is out of range; ids run from 0 to {description.Tasks - 1}.", nameof(batch));
                }
            }
        }

        if (conditionSize > 0)
        {
            if (batch.Conditions.Length != tasks * conditionSize)
            {
                throw new ArgumentException($"{method}: the batch's conditions hold {batch.Conditions.Length} floats; {tasks} tasks × ConditionSize {conditionSize} = {tasks * conditionSize} are needed.", nameof(batch));
            }

            FiniteCheck.Require(method, "batch.Conditions", batch.Conditions);
        }
        else if (!batch.Conditions.IsEmpty)
        {
            throw new ArgumentException($"{method}: the batch has condition vectors, but this hypernetwork takes none (ConditionSize is 0).", nameof(batch));
        }

        int samples = batch.SamplesPerTask;
        if (samples < 1 || samples > maxSamplesPerTask)
        {
            throw new ArgumentException($"{method}: the batch has {samples} samples per task; this instance was built for 1 to {maxSamplesPerTask}.", nameof(batch));
        }

        CheckSamples(method, batch.Inputs, batch.Targets, tasks * samples, tasks * samples, loss, "batch.Inputs", "batch.Targets");
        return tasks;
    }

    private void CheckSamples(string method, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, int maxSamples, Loss loss, string inputsName = "inputs", string targetsName = "targets")
    {
        if (loss is not (Loss.MeanSquaredError or Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, $"{method}: {(int)loss} is not a member of HyperDsl.Loss.");
        }

        if (samples < 1 || samples > maxSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{method}: samples must be from 1 to {maxSamples}, the capacity this instance was built for.");
        }

        long inputLength = (long)samples * TTarget.InputSize;
        long targetLength = (long)samples * TTarget.OutputSize;
        if (inputs.Length != inputLength)
        {
            throw new ArgumentException($"{method}: {inputsName} holds {inputs.Length} floats; {samples} samples × InputSize {TTarget.InputSize} = {inputLength} are needed.", inputsName);
        }

        if (targets.Length != targetLength)
        {
            throw new ArgumentException($"{method}: {targetsName} holds {targets.Length} floats; {samples} samples × OutputSize {TTarget.OutputSize} = {targetLength} are needed.", targetsName);
        }

        FiniteCheck.Require(method, inputsName, inputs);
        FiniteCheck.Require(method, targetsName, targets);
    }

    private void CheckEmbedding(string method, ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition)
    {
        if (embedding.Length != description.EmbeddingSize)
        {
            throw new ArgumentException($"{method}: the embedding must hold EmbeddingSize = {description.EmbeddingSize} floats, but holds {embedding.Length}.", nameof(embedding));
        }

        if (condition.Length != description.ConditionSize)
        {
            throw new ArgumentException($"{method}: the condition must hold ConditionSize = {description.ConditionSize} floats, but holds {condition.Length}.", nameof(condition));
        }

        FiniteCheck.Require(method, nameof(embedding), embedding);
        FiniteCheck.Require(method, nameof(condition), condition);
    }

    private static void CheckTargetParameters(string method, Span<float> targetParameters)
    {
        if (targetParameters.Length != TTarget.ParameterCount)
        {
            throw new ArgumentException($"{method}: targetParameters must hold the target's ParameterCount = {TTarget.ParameterCount} floats, but holds {targetParameters.Length}.", nameof(targetParameters));
        }
    }

    /// <summary>The buffers one thread needs for its share of a step.</summary>
    private sealed class Lane
    {
        /// <param name="description">The hypernetwork.</param>
        /// <param name="rows">The most rows of g.</param>
        /// <param name="samples">The most samples per task.</param>
        /// <param name="withGenerator">Whether the lane runs g's passes over rows (the calling thread's does; the helper's shares them).</param>
        public Lane(HyperNetworkDescription description, int rows, int samples, bool withGenerator)
        {
            GeneratorWorkspace = withGenerator ? new float[Capacity("maxTasks", rows, description.GeneratorWorkspacePerRow)] : Array.Empty<float>();
            GeneratorScratch = withGenerator ? new float[Capacity("maxTasks", rows, description.GeneratorScratchPerRow)] : Array.Empty<float>();
            TargetOutputs = new float[Capacity("maxSamplesPerTask", samples, TTarget.OutputSize)];
            TargetOutputGradients = new float[TargetOutputs.Length];
            TargetWorkspace = new float[TTarget.WorkspaceSize(samples)];
        }

        public float[] GeneratorWorkspace { get; }

        public float[] GeneratorScratch { get; }

        public float[] TargetOutputs { get; }

        public float[] TargetOutputGradients { get; }

        public float[] TargetWorkspace { get; }
    }

    /// <summary>
    /// A step split over two threads, in three phases that each thread runs a part of, between serial work on the
    /// calling thread. Each thread keeps to its half of the head's inputs wherever it can — the same rows of the head's
    /// weights that its half of a two-thread optimizer step updates — since on two cores moving those weights between
    /// the cores' caches costs more than the arithmetic it saves:
    /// <list type="number">
    /// <item>(serial) g's layers below the head, on all rows;</item>
    /// <item>each thread the head's sum over its half of the head's inputs, on all rows;</item>
    /// <item>each thread, for half of the tasks, the two halves added (in a fixed order) into W, and the target passes;</item>
    /// <item>each thread the head's backward for its half of the head's inputs: those rows of the weight gradient and
    /// those columns of the input gradient;</item>
    /// <item>(serial) the layers below the head.</item>
    /// </list>
    /// No thread adds to what the other writes, so the result is the same from run to run. Spans cannot cross threads,
    /// so the batch's inputs and targets are pinned for the duration of the step — which returns only when both parts
    /// are done — and passed as pointers.
    /// </summary>
    private sealed unsafe class StepWork(HyperNetworkModel<TTarget> model) : IPartitionedWork
    {
        private float* inputs;
        private float* targets;
        private int samples;
        private Loss loss;
        private int tasks;
        private Phase phase;

        // The first head input of part 1: about where a two-thread optimizer step splits θ, so that each thread's rows
        // of the head's weights stay in its core's cache from one step to the next.
        private readonly int headSplit = HeadSplit(model.description);

        private enum Phase
        {
            HeadForward,
            Targets,
            HeadBackward,
        }

        public void Run(ReadOnlySpan<float> batchInputs, ReadOnlySpan<float> batchTargets, int samplesPerTask, Loss lossKind, int taskCount)
        {
            HyperNetworkDescription description = model.description;
            int rows = taskCount * description.ChunkCount;
            ReadOnlySpan<float> generatorInputs = model.generatorInputs.AsSpan(0, rows * description.GeneratorInputSize);
            Span<float> workspace = model.primary.GeneratorWorkspace.AsSpan(0, rows * description.GeneratorWorkspacePerRow);
            model.generator.ForwardBody(model.GeneratorParameters, generatorInputs, rows, workspace);
            fixed (float* inputPointer = batchInputs)
            fixed (float* targetPointer = batchTargets)
            {
                inputs = inputPointer;
                targets = targetPointer;
                samples = samplesPerTask;
                loss = lossKind;
                tasks = taskCount;
                try
                {
                    phase = Phase.HeadForward;
                    model.worker!.Run(this);
                    phase = Phase.Targets;
                    model.worker.Run(this);
                    phase = Phase.HeadBackward;
                    model.worker.Run(this);
                }
                finally
                {
                    inputs = null;
                    targets = null;
                }
            }

            model.generator.BackwardBody(
                model.GeneratorParameters,
                generatorInputs,
                rows,
                workspace,
                model.headInputGradients.AsSpan(0, rows * description.HeadInputs),
                model.gradients.AsSpan(description.GeneratorOffset, description.GeneratorParameterCount),
                model.generatorInputGradients.AsSpan(0, rows * description.GeneratorInputSize),
                model.primary.GeneratorScratch.AsSpan(0, rows * description.GeneratorScratchPerRow));
        }

        public void Run(int part)
        {
            HyperNetworkDescription description = model.description;
            int rows = tasks * description.ChunkCount;
            int headInputs = description.HeadInputs;
            int headUnits = description.HeadUnits;
            ReadOnlySpan<float> generatorInputs = model.generatorInputs.AsSpan(0, rows * description.GeneratorInputSize);
            ReadOnlySpan<float> workspace = model.primary.GeneratorWorkspace.AsSpan(0, rows * description.GeneratorWorkspacePerRow);
            int inputStart = part == 0 ? 0 : headSplit;
            int inputEnd = part == 0 ? headSplit : headInputs;
            switch (phase)
            {
                case Phase.HeadForward:
                {
                    // Each part also clears the gradients up to (or from) the head rows part 1 adds to in the last phase.
                    int clearSplit = description.GeneratorOffset + description.GeneratorLayers[^1].WeightsOffset + (headSplit * headUnits);
                    (part == 0 ? model.gradients.AsSpan(0, clearSplit) : model.gradients.AsSpan(clearSplit)).Clear();
                    float[] sums = part == 0 ? model.generated : model.secondHalfSums;
                    model.generator.ForwardHead(model.GeneratorParameters, generatorInputs, rows, workspace, inputStart, inputEnd, sums.AsSpan(0, rows * headUnits));
                    break;
                }

                case Phase.Targets:
                {
                    int split = (tasks + 1) / 2;
                    int first = part == 0 ? 0 : split;
                    int count = part == 0 ? split : tasks - split;
                    if (count == 0)
                    {
                        return;
                    }

                    int firstRow = first * description.ChunkCount;
                    int laneRows = count * description.ChunkCount;
                    Span<float> generated = model.generated.AsSpan(firstRow * headUnits, laneRows * headUnits);
                    TensorPrimitives.Add(generated, model.secondHalfSums.AsSpan(firstRow * headUnits, laneRows * headUnits), generated);
                    model.ScaleChunks(first, count);
                    model.generatedGradients.AsSpan(firstRow * headUnits, laneRows * headUnits).Clear();
                    int inputSize = TTarget.InputSize;
                    int outputSize = TTarget.OutputSize;
                    Lane lane = part == 0 ? model.primary : model.secondary!;
                    for (int t = first; t < first + count; t++)
                    {
                        var taskInputs = new ReadOnlySpan<float>(inputs + ((long)t * samples * inputSize), samples * inputSize);
                        var taskTargets = new ReadOnlySpan<float>(targets + ((long)t * samples * outputSize), samples * outputSize);
                        model.taskLosses[t] = model.TargetStep(lane, t, taskInputs, taskTargets, samples, loss, 1f / tasks);
                    }

                    break;
                }

                default:
                    model.generator.BackwardHead(
                        model.GeneratorParameters,
                        generatorInputs,
                        model.generatedGradients.AsSpan(0, rows * headUnits),
                        rows,
                        workspace,
                        model.gradients.AsSpan(description.GeneratorOffset, description.GeneratorParameterCount),
                        model.headInputGradients.AsSpan(0, rows * headInputs),
                        inputStart,
                        inputEnd);
                    break;
            }
        }

        /// <summary>
        /// The first head input of part 1: the head row nearest to the middle of θ (where a two-thread optimizer splits
        /// it), kept at least 4 inputs from either end when the head has 8 or more.
        /// </summary>
        private static int HeadSplit(HyperNetworkDescription description)
        {
            int headInputs = description.HeadInputs;
            long headWeights = description.GeneratorOffset + (long)description.GeneratorLayers[^1].WeightsOffset;
            long middleRow = ((description.ParameterCount / 2) - headWeights + (description.HeadUnits / 2)) / description.HeadUnits;
            int margin = headInputs >= 8 ? 4 : 0;
            return (int)Math.Clamp(middleRow, margin, headInputs - margin);
        }
    }

    private sealed class MethodNames(string network)
    {
        public string ComputeGradients { get; } = network + ".ComputeGradients";

        public string GenerateFromEmbedding { get; } = network + ".GenerateFromEmbedding";

        public string ComputeEmbeddingGradient { get; } = network + ".ComputeEmbeddingGradient";

        public string Predict { get; } = network + ".Predict";

        public string Generate { get; } = network + ".Generate";
    }
}
