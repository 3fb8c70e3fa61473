using HyperDsl;

namespace Sinusoid;

/// <summary>The task encoder: one support point (x, y) → 64 → 64 (ReLU) → an encoding of 32.</summary>
[TargetNetwork(inputs: 2)]
[Dense(64, Activation.Relu)]
[Dense(64, Activation.Relu)]
[Dense(32)]
public partial class SinePointEncoder;

/// <summary>
/// The amortised hypernetwork: z is the mean over a curve's support points of SinePointEncoder(x, y), and g turns it
/// into SineNet's 1761 weights — a new curve costs one forward pass, no gradient steps.
/// </summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder))]
[Dense(64, Activation.Relu)]
public partial class SineEncoderHyper;

/// <summary>
/// The same with a transformer block across the support set before the mean (4 heads, a feed-forward width of 64), so
/// that each point's encoding can depend on the other points.
/// </summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder))]
[SetAttention(4, 64)]
[Dense(64, Activation.Relu)]
public partial class SineAttentionHyper;

/// <summary>
/// The ablation's baseline: the mean encoder with a chunked head — SineNet's 1761 weights in 7 chunks of 256, each
/// generated on its own from [z ; chunk embedding].
/// </summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder), ChunkSize = 256, ChunkEmbeddingSize = 8)]
[Dense(64, Activation.Relu)]
public partial class SineChunkedEncoderHyper;

/// <summary>
/// The same with a transformer block across the 7 chunk tokens between the body and the head (HyperTransformer), so
/// that the chunks of W are generated jointly.
/// </summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder), ChunkSize = 256, ChunkEmbeddingSize = 8)]
[Dense(64, Activation.Relu)]
[SelfAttention(4, 128)]
public partial class SineHyperTransformer;
