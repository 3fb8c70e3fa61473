using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;

namespace HyperDsl;

/// <summary>
/// A hypernetwork for the target network <typeparamref name="TTarget"/>: θ, its gradients, and every buffer a step
/// needs, allocated once in the constructor. Generated hypernetwork classes derive from it; their generated part holds
/// the layout and the kernels of the decoder g, this class the orchestration: embeddings in, W out, the target's
/// forward and backward per task, g's backward, the gradients of the embeddings.
/// </summary>
/// <typeparam name="TTarget">The target network whose parameters are generated.</typeparam>
/// <remarks>
/// <para>An instance is not thread-safe: its buffers serve one call at a time. Nothing is allocated after construction.</para>
/// <para>
/// The class is split by concern: this file holds the state; <c>.Initialization</c> hyperfan initialisation;
/// <c>.Step</c> a training step (<see cref="ComputeGradients"/>) on one thread; <c>.TwoThreads</c> the same step
/// shared by two; <c>.Inference</c> Generate, Predict and the embedding gradient; <c>.Arguments</c> the checks.
/// </para>
/// </remarks>
public abstract partial class HyperNetworkModel<TTarget> : IHyperModel, Checkpoints.IHyperCheckpoint, IThreadedParameters
    where TTarget : ITargetNetwork
{
    private readonly HyperNetworkDescription description;
    private readonly IDecoderKernels decoder;
    private readonly int maxTasks;
    private readonly int maxSamplesPerTask;

    // θ and ∂L/∂θ.
    private readonly float[] parameters;
    private readonly float[] gradients;

    // Per row of g (a task, or a task's chunk): its input [z ; chunk embedding], its outputs (the task's W, or a chunk
    // of it), their gradients, and the gradients of its input.
    private readonly float[] decoderInputs;
    private readonly float[] generated;
    private readonly float[] generatedGradients;
    private readonly float[] decoderInputGradients;

    // Where g's parameter gradients go when θ is held fixed (ComputeEmbeddingGradient), and those of any attention
    // across chunk tokens.
    private readonly float[] frozenGradients;
    private readonly float[] frozenAttentionGradients;

    // The buffers of the calling thread's share of a step.
    private readonly Lane primary;

    // Per generated parameter (G, W without its shared layers): the standard deviation hyperfan initialisation aims
    // at. A chunked head serves every layer with the same columns, so there it is also a fixed factor on the head's
    // output (see Initialize).
    private readonly float[] parameterScale;

    // Per generated parameter: 1 for a LayerNorm's γ, else 0; null without LayerNorm (see ParameterOffsets).
    private readonly float[]? parameterOffsets;

    // With shared layers or G in PyTorch's order, per task slot: W assembled from G and θ's shared part, and ∂L/∂W,
    // whose shared runs are summed over tasks into θ's gradient. Null otherwise, where W is G itself.
    private readonly float[]? assembled;
    private readonly float[]? assembledGradients;

    // With G in PyTorch's order, where each element of G goes in W (see HyperNetworkDescription.GeneratedPlaces).
    private readonly int[]? generatedPlaces;

    // "Name.Method" for messages, built once: a step must not allocate.
    private readonly MethodNames names;

    /// <summary>Allocates θ, its gradients and every buffer for meta-batches of up to the given size.</summary>
    /// <param name="description">The generated layout.</param>
    /// <param name="decoder">The generated kernels of the decoder g.</param>
    /// <param name="maxTasks">The most tasks one meta-batch may hold, at least 1.</param>
    /// <param name="maxSamplesPerTask">The most samples per task, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is below 1, or the buffers would not fit in arrays.</exception>
    /// <exception cref="InvalidOperationException">The description declares a task encoder (use the constructor that takes one).</exception>
    protected HyperNetworkModel(HyperNetworkDescription description, IDecoderKernels decoder, int maxTasks, int maxSamplesPerTask)
        : this(description, decoder, encoder: null, maxTasks, maxSamplesPerTask, maxSupportPerTask: 0, withEncoder: false)
    {
    }

    /// <summary>Allocates θ, its gradients and every buffer for meta-batches of up to the given size, support sets included.</summary>
    /// <param name="description">The generated layout.</param>
    /// <param name="decoder">The generated kernels of the decoder g.</param>
    /// <param name="encoder">The task encoder E over support pairs [x ; y].</param>
    /// <param name="maxTasks">The most tasks one meta-batch may hold, at least 1.</param>
    /// <param name="maxSamplesPerTask">The most query samples per task, at least 1.</param>
    /// <param name="maxSupportPerTask">The most support pairs per task, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is below 1, or the buffers would not fit in arrays.</exception>
    /// <exception cref="InvalidOperationException">The encoder does not fit the description.</exception>
    protected HyperNetworkModel(HyperNetworkDescription description, IDecoderKernels decoder, ISetEncoder encoder, int maxTasks, int maxSamplesPerTask, int maxSupportPerTask)
        : this(description, decoder, encoder ?? throw new ArgumentNullException(nameof(encoder)), maxTasks, maxSamplesPerTask, maxSupportPerTask, withEncoder: true)
    {
    }

    private HyperNetworkModel(HyperNetworkDescription description, IDecoderKernels decoder, ISetEncoder? encoder, int maxTasks, int maxSamplesPerTask, int maxSupportPerTask, bool withEncoder)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(decoder);
        if (description.HasEncoder != withEncoder)
        {
            throw new InvalidOperationException(withEncoder
                ? $"{description.Name}: an encoder was given, but the description declares none."
                : $"{description.Name}: the description declares a task encoder; construct the model with it.");
        }
        if (maxTasks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTasks), maxTasks, $"{description.Name}: maxTasks must be at least 1.");
        }

        if (maxSamplesPerTask < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSamplesPerTask), maxSamplesPerTask, $"{description.Name}: maxSamplesPerTask must be at least 1.");
        }

        if (withEncoder && maxSupportPerTask < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSupportPerTask), maxSupportPerTask, $"{description.Name}: maxSupportPerTask must be at least 1.");
        }

        if (description.TargetParameterCount != TTarget.ParameterCount)
        {
            throw new InvalidOperationException($"{description.Name}: the description's target has {description.TargetParameterCount} parameters, {typeof(TTarget).Name} {TTarget.ParameterCount}.");
        }

        this.description = description;
        this.decoder = decoder;
        names = new MethodNames(description.Name);
        this.maxTasks = maxTasks;
        this.maxSamplesPerTask = maxSamplesPerTask;
        int rows = Capacity(nameof(maxTasks), maxTasks, description.ChunkCount);
        parameters = new float[description.ParameterCount];
        gradients = new float[description.ParameterCount];
        decoderInputs = new float[Capacity(nameof(maxTasks), rows, description.DecoderInputSize)];
        generated = new float[Capacity(nameof(maxTasks), rows, description.HeadUnits)];
        generatedGradients = new float[generated.Length];
        decoderInputGradients = new float[decoderInputs.Length];
        frozenGradients = new float[description.DecoderParameterCount];
        primary = new Lane(description, rows, maxSamplesPerTask, runsDecoder: true);
        parameterScale = new float[description.GeneratedParameterCount];
        SetParameterScale(HyperfanInit.FanIn);
        parameterOffsets = ParameterOffsets(description);
        generatedPlaces = description.GeneratedPlaces();
        if (description.HasSharedLayers || generatedPlaces is not null)
        {
            assembled = new float[Capacity(nameof(maxTasks), maxTasks, TTarget.ParameterCount)];
            assembledGradients = new float[assembled.Length];
        }

        split = TwoThreadSplit.Of(description);
        if (encoder is not null)
        {
            encoding = new SupportEncoding(description, encoder, maxTasks, maxSupportPerTask);
        }

        if (description.ChunkAttention.Count > 0)
        {
            chunkAttention = new ChunkAttentionBuffers(description, maxTasks);
        }

        frozenAttentionGradients = new float[description.ChunkAttentionParameterCount];
    }

    /// <summary>θ, flat, laid out as the generated <c>Layout</c> says.</summary>
    public Span<float> Parameters => parameters;

    /// <summary>∂(mean loss)/∂θ from the last <see cref="ComputeGradients"/>, flat.</summary>
    public Span<float> Gradients => gradients;

    /// <summary>The learned task-embedding table, <c>[Tasks × EmbeddingSize]</c> row-major: a view into θ.</summary>
    public ReadOnlySpan<float> TaskEmbeddings => parameters.AsSpan(0, description.Tasks * description.EmbeddingSize);

    /// <summary>The most tasks one meta-batch may hold.</summary>
    public int MaxTasks => maxTasks;

    /// <summary>The most samples per task.</summary>
    public int MaxSamplesPerTask => maxSamplesPerTask;

    HyperNetworkDescription Checkpoints.IHyperCheckpoint.Description => description;

    float[] Checkpoints.IHyperCheckpoint.ParameterBuffer => parameters;

    float[]? Checkpoints.IHyperCheckpoint.OutputScale => description.IsChunked ? parameterScale : null;

    int IHyperModel.ParameterCount => description.ParameterCount;

    int IHyperModel.TargetParameterCount => TTarget.ParameterCount;

    int IHyperModel.InputSize => TTarget.InputSize;

    int IHyperModel.OutputSize => TTarget.OutputSize;

    int IHyperModel.Tasks => description.Tasks;

    int IHyperModel.EmbeddingSize => description.EmbeddingSize;

    int IHyperModel.ConditionSize => description.ConditionSize;

    private Span<float> DecoderParameters => parameters.AsSpan(description.DecoderOffset, description.DecoderParameterCount);

    private Span<float> DecoderGradients => gradients.AsSpan(description.DecoderOffset, description.DecoderParameterCount);

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

    private Span<float> ChunkEmbedding(int chunk)
        => parameters.AsSpan(description.ChunkEmbeddingsOffset + (chunk * description.ChunkEmbeddingSize), description.ChunkEmbeddingSize);

    /// <summary>
    /// W of task slot <paramref name="task"/> of the current rows: G itself when no layer is shared, else W as
    /// <see cref="AssembleWeights"/> puts it together.
    /// </summary>
    private Span<float> GeneratedParameters(int task)
        => assembled is null ? GeneratedVector(task) : assembled.AsSpan(task * TTarget.ParameterCount, TTarget.ParameterCount);

    /// <summary>G of task slot <paramref name="task"/>: the first G head outputs of its chunk rows.</summary>
    private Span<float> GeneratedVector(int task)
        => generated.AsSpan(task * description.ChunkCount * description.HeadUnits, description.GeneratedParameterCount);

    /// <summary>∂L/∂G of task slot <paramref name="task"/>.</summary>
    private Span<float> GeneratedVectorGradients(int task)
        => generatedGradients.AsSpan(task * description.ChunkCount * description.HeadUnits, description.GeneratedParameterCount);

    /// <summary>θ's shared part: the shared layers' parameters, learned directly.</summary>
    private Span<float> SharedParameters => parameters.AsSpan(description.SharedOffset, description.SharedParameterCount);

    /// <summary>
    /// With shared layers or G in PyTorch's order, W of task slots [first, first + count) from their generated vectors G
    /// (run by run, or element by element to its place) and θ's shared part.
    /// </summary>
    private void AssembleWeights(int first, int count)
    {
        if (assembled is null)
        {
            return;
        }

        ReadOnlySpan<float> shared = SharedParameters;
        for (int t = first; t < first + count; t++)
        {
            Span<float> weights = GeneratedParameters(t);
            ReadOnlySpan<float> vector = GeneratedVector(t);
            if (generatedPlaces is not null)
            {
                ReadOnlySpan<int> places = generatedPlaces;
                for (int j = 0; j < places.Length; j++)
                {
                    weights[places[j]] = vector[j];
                }
            }

            foreach (ParameterSegment segment in description.Segments)
            {
                if (segment.Shared || generatedPlaces is null)
                {
                    (segment.Shared ? shared : vector).Slice(segment.SourceOffset, segment.Length).CopyTo(weights.Slice(segment.TargetOffset, segment.Length));
                }
            }
        }
    }

    /// <summary>
    /// ∂L/∂θ's shared part: the sum over the batch's tasks, in task order, of the shared runs of each task's ∂L/∂W —
    /// on the calling thread, so that one and two threads add in the same order.
    /// </summary>
    private void AddSharedGradients(int tasks)
    {
        if (assembledGradients is null)
        {
            return;
        }

        Span<float> shared = gradients.AsSpan(description.SharedOffset, description.SharedParameterCount);
        for (int t = 0; t < tasks; t++)
        {
            ReadOnlySpan<float> weightGradients = assembledGradients.AsSpan(t * TTarget.ParameterCount, TTarget.ParameterCount);
            foreach (ParameterSegment segment in description.Segments)
            {
                if (segment.Shared)
                {
                    Span<float> into = shared.Slice(segment.SourceOffset, segment.Length);
                    TensorPrimitives.Add(into, weightGradients.Slice(segment.TargetOffset, segment.Length), into);
                }
            }
        }
    }

    private ReadOnlySpan<float> DecoderInputGradients(int task, int chunk)
        => decoderInputGradients.AsSpan(((task * description.ChunkCount) + chunk) * description.DecoderInputSize, description.DecoderInputSize);

    /// <summary>Writes g's input rows of task slot <paramref name="task"/>: [embedding ; condition ; encoding ; chunk embedding k].</summary>
    private void WriteDecoderInputs(int task, ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, ReadOnlySpan<float> encoding = default)
    {
        int width = description.DecoderInputSize;
        for (int k = 0; k < description.ChunkCount; k++)
        {
            Span<float> row = decoderInputs.AsSpan(((task * description.ChunkCount) + k) * width, width);
            embedding.CopyTo(row);
            condition.CopyTo(row[description.EmbeddingSize..]);
            encoding.CopyTo(row[(description.EmbeddingSize + description.ConditionSize)..]);
            ChunkEmbedding(k).CopyTo(row[description.TaskInputSize..]);
        }
    }

    /// <summary>The buffers one thread needs for its share of a step.</summary>
    private sealed class Lane
    {
        /// <param name="description">The hypernetwork.</param>
        /// <param name="rows">The most rows of g.</param>
        /// <param name="samples">The most samples per task.</param>
        /// <param name="runsDecoder">Whether the lane runs g's passes over rows (the calling thread's does; a helper's shares them).</param>
        public Lane(HyperNetworkDescription description, int rows, int samples, bool runsDecoder)
        {
            DecoderWorkspace = runsDecoder ? new float[Capacity("maxTasks", rows, description.DecoderWorkspacePerRow)] : Array.Empty<float>();
            DecoderScratch = runsDecoder ? new float[Capacity("maxTasks", rows, description.DecoderScratchPerRow)] : Array.Empty<float>();
            TargetOutputs = new float[Capacity("maxSamplesPerTask", samples, TTarget.OutputSize)];
            TargetOutputGradients = new float[TargetOutputs.Length];
            TargetWorkspace = new float[TTarget.WorkspaceSize(samples)];
        }

        public float[] DecoderWorkspace { get; }

        public float[] DecoderScratch { get; }

        public float[] TargetOutputs { get; }

        public float[] TargetOutputGradients { get; }

        public float[] TargetWorkspace { get; }
    }

    private sealed class MethodNames(string network)
    {
        public string ComputeGradients { get; } = network + ".ComputeGradients";

        public string GenerateFromEmbedding { get; } = network + ".GenerateFromEmbedding";

        public string ComputeEmbeddingGradient { get; } = network + ".ComputeEmbeddingGradient";

        public string ComputeConditionGradient { get; } = network + ".ComputeConditionGradient";

        public string Predict { get; } = network + ".Predict";

        public string Generate { get; } = network + ".Generate";

        public string AddAnchorPenaltyGradients { get; } = network + ".AddAnchorPenaltyGradients";
    }
}
