namespace HyperDsl.Kernels;

/// <summary>
/// Where each part of a hypernetwork's θ lives, worked out from the declared sizes: the one place that does this
/// arithmetic. The source generator compiles this same file, so the offsets it writes into <c>Layout</c>, the header
/// and <c>Summary</c> and the offsets the runtime derives for its buffers and checkpoints agree by construction.
/// </summary>
/// <remarks>
/// θ = [task-embedding table, Tasks × EmbeddingSize, row-major] [the decoder g: each body layer, then the head]
/// [chunk embeddings, ChunkCount × ChunkEmbeddingSize, when chunked] [shared target layers, learned directly: each
/// one's weights then bias, in the target's layout and order] [the task encoder E, learned directly: each layer's
/// weights then bias, in E's own layout, then its attention blocks] [attention blocks across chunk tokens]. g's input row for a task (and chunk k) is [embedding ; condition ; encoding ;
/// chunk embedding k]. Sizes are <see cref="long"/> so that a caller can tell an overflow.
/// </remarks>
internal sealed class ThetaLayout
{
    /// <param name="tasks">Rows of the task-embedding table, or 0.</param>
    /// <param name="embeddingSize">Width of a task embedding, or 0.</param>
    /// <param name="chunkCount">Head calls per task, from <see cref="ChunkCountOf"/>.</param>
    /// <param name="chunkEmbeddingSize">Width of a chunk embedding, or 0 when not chunked.</param>
    /// <param name="decoderParameterCount">Floats of the decoder g's layers.</param>
    /// <param name="sharedParameterCount">Floats of the target's shared layers, or 0.</param>
    /// <param name="encoderParameterCount">Floats of the task encoder E, or 0 when there is none.</param>
    /// <param name="chunkAttentionCount">Floats of the attention blocks across chunk tokens, or 0.</param>
    public ThetaLayout(int tasks, int embeddingSize, int chunkCount, int chunkEmbeddingSize, long decoderParameterCount, long sharedParameterCount = 0, long encoderParameterCount = 0, long chunkAttentionCount = 0)
    {
        EmbeddingsLength = (long)tasks * embeddingSize;
        DecoderOffset = EmbeddingsLength;
        DecoderParameterCount = decoderParameterCount;
        ChunkEmbeddingsOffset = DecoderOffset + decoderParameterCount;
        ChunkEmbeddingsLength = (long)chunkCount * chunkEmbeddingSize;
        SharedOffset = ChunkEmbeddingsOffset + ChunkEmbeddingsLength;
        SharedLength = sharedParameterCount;
        EncoderOffset = SharedOffset + sharedParameterCount;
        EncoderLength = encoderParameterCount;
        ChunkAttentionOffset = EncoderOffset + encoderParameterCount;
        ChunkAttentionLength = chunkAttentionCount;
        ParameterCount = ChunkAttentionOffset + chunkAttentionCount;
    }

    /// <summary>Floats of the task-embedding table, at offset 0.</summary>
    public long EmbeddingsLength { get; }

    /// <summary>Offset of the decoder g's parameters: right after the table.</summary>
    public long DecoderOffset { get; }

    /// <summary>Floats of the decoder g's parameters.</summary>
    public long DecoderParameterCount { get; }

    /// <summary>Offset of the chunk embeddings: right after g.</summary>
    public long ChunkEmbeddingsOffset { get; }

    /// <summary>Floats of the chunk embeddings (0 when not chunked).</summary>
    public long ChunkEmbeddingsLength { get; }

    /// <summary>Offset of the shared target layers' parameters: right after the chunk embeddings.</summary>
    public long SharedOffset { get; }

    /// <summary>Floats of the shared target layers' parameters (0 when none is shared).</summary>
    public long SharedLength { get; }

    /// <summary>Offset of the task encoder's parameters: right after the shared target layers.</summary>
    public long EncoderOffset { get; }

    /// <summary>Floats of the task encoder's parameters (0 when there is no encoder).</summary>
    public long EncoderLength { get; }

    /// <summary>Offset of the attention blocks across chunk tokens: right after the encoder.</summary>
    public long ChunkAttentionOffset { get; }

    /// <summary>Floats of the attention blocks across chunk tokens (0 when there are none).</summary>
    public long ChunkAttentionLength { get; }

    /// <summary>Floats in θ.</summary>
    public long ParameterCount { get; }

    /// <summary>Head calls per task: ⌈G / chunkSize⌉ for the G generated parameters when chunked (chunkSize &gt; 0), else 1.</summary>
    public static int ChunkCountOf(int generatedParameterCount, int chunkSize)
        => chunkSize > 0 ? (int)(((long)generatedParameterCount + chunkSize - 1) / chunkSize) : 1;

    /// <summary>Outputs of one head call: the chunk size when chunked, else all G generated target parameters.</summary>
    public static int HeadUnitsOf(int generatedParameterCount, int chunkSize)
        => chunkSize > 0 ? chunkSize : generatedParameterCount;

    /// <summary>Width of g's input row: [embedding ; condition ; encoding ; chunk embedding].</summary>
    public static long DecoderInputSizeOf(int embeddingSize, int conditionSize, int encodingSize, int chunkEmbeddingSize)
        => (long)embeddingSize + conditionSize + encodingSize + chunkEmbeddingSize;
}
