namespace HyperDsl.Generators.Model;

/// <summary>
/// Everything the emitters need to know about one declared hypernetwork: the target whose weights it generates, its
/// conditioning and chunking, and its body layers. Only values, so that the incremental pipeline caches it.
/// </summary>
/// <param name="Declaration">Where the class is and what it is called.</param>
/// <param name="Target">The target network; its declaration's name is the fully qualified name of its class.</param>
/// <param name="Tasks">Rows of the learned task-embedding table, or 0.</param>
/// <param name="EmbeddingSize">Width of a learned task embedding, or 0.</param>
/// <param name="ConditionSize">Width of the caller-given condition vector, or 0.</param>
/// <param name="ChunkSize">Target parameters per head call when chunked, or 0.</param>
/// <param name="ChunkEmbeddingSize">Width of the learned chunk embeddings when chunked, or 0.</param>
/// <param name="Body">The body layers in source order; the head is implied.</param>
/// <param name="Encoder">The task encoder over support pairs [x ; y], or null; its declaration's name is the fully qualified name of its class.</param>
/// <param name="SetAttention">Attention blocks across each support set, after the encoder, in source order.</param>
/// <param name="ChunkAttention">Attention blocks across each task's chunk tokens, between g's body and its head, in source order.</param>
/// <param name="GeneratedOrder">The order in which the head emits W: 0 the target's own (ParameterOrder.Native), 1 PyTorch's.</param>
internal sealed record HyperNetworkSpec(
    TypeDeclarationSpec Declaration,
    NetworkSpec Target,
    int Tasks,
    int EmbeddingSize,
    int ConditionSize,
    int ChunkSize,
    int ChunkEmbeddingSize,
    EquatableArray<LayerSpec> Body,
    NetworkSpec? Encoder = null,
    EquatableArray<AttentionSpec> SetAttention = default,
    EquatableArray<AttentionSpec> ChunkAttention = default,
    int GeneratedOrder = 0)
{
    /// <summary>ParameterOrder.PyTorch's value.</summary>
    public const int PyTorchOrder = 1;

    /// <summary>Whether the head emits W in PyTorch's order.</summary>
    public bool InPyTorchOrder => GeneratedOrder == PyTorchOrder;

    /// <summary>Width of the chunk tokens the blocks across chunks read: the body's last layer's units (0 without a body).</summary>
    public int ChunkTokenWidth => Body.Count == 0 ? 0 : Body[Body.Count - 1].Units;

    /// <summary>Width of the encoder's output, the encoding in g's input (0: no encoder).</summary>
    public int EncodingSize => Encoder is null ? 0 : Encoder.Layers[Encoder.Layers.Count - 1].Units;
}

/// <summary>One attention block across a support set, as declared.</summary>
/// <param name="Name">Its name (SetAttention and its position unless named).</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="FeedForward">The feed-forward network's hidden width.</param>
internal sealed record AttentionSpec(string Name, int Heads, int FeedForward)
{
    /// <summary>Floats of a block over tokens of width <paramref name="features"/>: 4d² + 2df + 9d + f.</summary>
    public long ParameterCount(int features) => (4L * features * features) + (2L * features * FeedForward) + (9L * features) + FeedForward;
}
