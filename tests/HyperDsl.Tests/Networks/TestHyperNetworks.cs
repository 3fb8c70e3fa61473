namespace HyperDsl.Tests.Networks;

// Small hypernetworks for whole-model gradient checks: every conditioning, full and chunked heads, with and without a
// body. Smooth activations only, so that finite differences are meaningful everywhere.

/// <summary>The target of the small hypernetworks: 2 → 3 (tanh) → 2, 17 parameters.</summary>
[TargetNetwork(inputs: 2)]
[Dense(3, Activation.Tanh)]
[Dense(2)]
public partial class TinyTarget;

[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2)]
[Dense(4, Activation.Tanh)]
public partial class FullEmbeddingHyper;

[HyperNetwork(typeof(TinyTarget), ConditionSize = 3)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Gelu)]
public partial class FullConditionHyper;

/// <summary>Both conditionings and no body: the head is a linear map of [embedding ; condition].</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2, ConditionSize = 2)]
public partial class FullBothHyper;

/// <summary>17 parameters in chunks of 5: 4 head calls per task, the last 3 outputs dropped.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2, ChunkSize = 5, ChunkEmbeddingSize = 2)]
[Dense(4, Activation.Silu)]
public partial class ChunkedEmbeddingHyper;

/// <summary>A chunked head behind two Elu layers, the body of von Oswald et al.'s continual-learning hypernetworks.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 2, EmbeddingSize = 2, ChunkSize = 4, ChunkEmbeddingSize = 2)]
[Dense(4, Activation.Elu)]
[Dense(3, Activation.Elu)]
public partial class EluChunkedHyper;

[HyperNetwork(typeof(TinyTarget), Tasks = 2, EmbeddingSize = 3, ConditionSize = 2, ChunkSize = 6, ChunkEmbeddingSize = 3)]
[Dense(5, Activation.Tanh)]
public partial class ChunkedBothHyper;

/// <summary>The head emits W in PyTorch's order: Dense0.weight [3, 2] row-major, its bias, Dense1.weight [2, 3], its bias.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2, GeneratedOrder = ParameterOrder.PyTorch)]
[Dense(4, Activation.Tanh)]
public partial class TorchOrderFullHyper;

/// <summary>PyTorch's order in chunks of 5, so that a chunk crosses from one tensor into the next.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 2, EmbeddingSize = 2, ConditionSize = 1, ChunkSize = 5, ChunkEmbeddingSize = 2, GeneratedOrder = ParameterOrder.PyTorch)]
[Dense(4, Activation.Elu)]
public partial class TorchOrderChunkedHyper;

/// <summary>TorchOrderChunkedHyper in the target's own order: the same θ, a different W.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 2, EmbeddingSize = 2, ConditionSize = 1, ChunkSize = 5, ChunkEmbeddingSize = 2)]
[Dense(4, Activation.Elu)]
public partial class NativeOrderChunkedHyper;

/// <summary>A chunk larger than the whole target: one head call, most outputs dropped (HD0022 warns about it).</summary>
#pragma warning disable HD0022
[HyperNetwork(typeof(TinyTarget), ConditionSize = 2, ChunkSize = 40, ChunkEmbeddingSize = 1)]
[Dense(3, Activation.Softplus)]
public partial class ChunkLargerThanTargetHyper;
#pragma warning restore HD0022

/// <summary>The sinusoid benchmark's hypernetwork, for initialisation and allocation tests.</summary>
[HyperNetwork(typeof(SineNet), Tasks = 1000, EmbeddingSize = 8)]
[Dense(64, Activation.Relu)]
public partial class SineHyper;

/// <summary>A chunked hypernetwork for SineNet: 1761 parameters in 30 chunks of 60.</summary>
[HyperNetwork(typeof(SineNet), Tasks = 100, EmbeddingSize = 8, ChunkSize = 60, ChunkEmbeddingSize = 8)]
[Dense(32, Activation.Relu)]
public partial class ChunkedSineHyper;

/// <summary>The target of the two-thread split tests: 2 → 8 (tanh) → 1.</summary>
[TargetNetwork(inputs: 2)]
[Dense(8, Activation.Tanh)]
[Dense(1)]
public partial class SplitTarget;

/// <summary>
/// A task table (80,000 floats) far larger than the rest of θ: θ's middle lies inside the table, before the head,
/// whose 5 inputs a split near θ's middle would give all to one thread.
/// </summary>
[HyperNetwork(typeof(SplitTarget), Tasks = 20000, EmbeddingSize = 4)]
[Dense(5, Activation.Tanh)]
public partial class LargeTableHyper;

/// <summary>
/// Chunk embeddings (33 chunks × 400 floats) far larger than the rest of θ: θ's middle lies after the head.
/// </summary>
[HyperNetwork(typeof(SplitTarget), ConditionSize = 3, ChunkSize = 1, ChunkEmbeddingSize = 400)]
[Dense(6, Activation.Tanh)]
public partial class ManyChunksHyper;

/// <summary>docs/getting-started.md's target: 1 input, 16 tanh units, 1 output.</summary>
[TargetNetwork(inputs: 1)]
[Dense(16, Activation.Tanh)]
[Dense(1)]
public partial class LineNet;

/// <summary>docs/getting-started.md's hypernetwork: a learned 2-float embedding per task, a 16-unit body.</summary>
[HyperNetwork(typeof(LineNet), Tasks = 4, EmbeddingSize = 2)]
[Dense(16, Activation.Tanh)]
public partial class LineHyper;

/// <summary>LineNet's weights from a task descriptor alone: the slope a of y = a·x, as a condition vector.</summary>
[HyperNetwork(typeof(LineNet), ConditionSize = 1)]
[Dense(16, Activation.Tanh)]
public partial class SlopeHyper;

/// <summary>One ReLU unit between the embedding and the head: every embedding e ≤ 0 turns it off, where ∂L/∂e is exactly 0.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 4, EmbeddingSize = 1)]
[Dense(1, Activation.Relu)]
public partial class ReluGateHyper;

/// <summary>
/// A head wide enough (605 units: 75 full registers of 8 and 5 columns past them) for the input-gradient kernel to
/// block its columns; a chunk larger than the target gives it that width (HD0022 warns about it).
/// </summary>
#pragma warning disable HD0022
[HyperNetwork(typeof(TinyTarget), Tasks = 2, EmbeddingSize = 2, ChunkSize = 605, ChunkEmbeddingSize = 2)]
[Dense(5, Activation.Tanh)]
public partial class WideHeadHyper;
#pragma warning restore HD0022

/// <summary>A task encoder for <see cref="TinyTarget"/>: a support pair [x ; y] of 2 + 2 floats → 5 (tanh) → 3.</summary>
[TargetNetwork(inputs: 4)]
[Dense(5, Activation.Tanh)]
[Dense(3)]
public partial class TinyPairEncoder;

/// <summary>z is the support set's encoding alone: the mean of E over the pairs, then g with a full head.</summary>
[HyperNetwork(typeof(TinyTarget), Encoder = typeof(TinyPairEncoder))]
[Dense(4, Activation.Tanh)]
public partial class MeanEncoderHyper;

/// <summary>Every part of z at once — a table row, a condition, the encoding — with a chunked head.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2, ConditionSize = 1, Encoder = typeof(TinyPairEncoder), ChunkSize = 5, ChunkEmbeddingSize = 2)]
[Dense(4, Activation.Silu)]
public partial class ChunkedEncoderHyper;

/// <summary>A task encoder for <see cref="TinyTarget"/> with an output of 4, which 1, 2 and 4 heads divide.</summary>
[TargetNetwork(inputs: 4)]
[Dense(5, Activation.Tanh)]
[Dense(4)]
public partial class WidePairEncoder;

/// <summary>Two attention blocks across the support set between the encoder and the mean, a condition, a chunked head.</summary>
[HyperNetwork(typeof(TinyTarget), ConditionSize = 1, Encoder = typeof(WidePairEncoder), ChunkSize = 6, ChunkEmbeddingSize = 2)]
[SetAttention(2, 6)]
[SetAttention(1, 3, Name = "Refine")]
[Dense(4, Activation.Tanh)]
public partial class AttentionEncoderHyper;

/// <summary>Attention across the 4 chunk rows of each task between the body and the head (HyperTransformer), two blocks.</summary>
[HyperNetwork(typeof(TinyTarget), Tasks = 3, EmbeddingSize = 2, ChunkSize = 5, ChunkEmbeddingSize = 2)]
[Dense(4, Activation.Tanh)]
[SelfAttention(2, 5)]
[SelfAttention(4, 3, Name = "Mix")]
public partial class ChunkAttentionHyper;
