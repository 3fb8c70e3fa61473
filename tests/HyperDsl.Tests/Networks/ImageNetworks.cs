namespace HyperDsl.Tests.Networks;

// Networks with images for the numerics tests: odd sizes, strides 1 and 2, valid and same padding, 1 and many
// channels, every kind of image layer, residuals, and an image output. Smooth activations where gradients are checked
// by finite differences.

/// <summary>One channel, odd sizes, a valid 3×3 convolution, a Dense layer flattening the image.</summary>
[TargetNetwork(Channels = 1, Height = 7, Width = 6)]
[Conv2D(3, 3, Activation.Tanh)]
[Dense(2)]
public partial class ConvValidNet;

/// <summary>Three channels, stride 2 with same padding on odd sizes (uneven padding), a global pool.</summary>
[TargetNetwork(Channels = 3, Height = 9, Width = 7)]
[Conv2D(4, 3, Activation.Sigmoid, Stride = 2, Padding = Padding.Same)]
[GlobalAvgPool2D]
[Dense(2)]
public partial class ConvStridedNet;

/// <summary>Both pools (the odd width floored: HD0032 warns about it), a LayerNorm over a vector, Gelu.</summary>
#pragma warning disable HD0032
[TargetNetwork(Channels = 2, Height = 8, Width = 9)]
[Conv2D(3, 3, Activation.Gelu, Padding = Padding.Same)]
[MaxPool2D(2)]
[AvgPool2D(2)]
[Dense(3, Activation.Tanh)]
[LayerNorm]
[Dense(2)]
public partial class PoolNet;
#pragma warning restore HD0032

/// <summary>Residual convolution and LayerNorm over an image, a strided 1×1 convolution, an image output.</summary>
[TargetNetwork(Channels = 3, Height = 5, Width = 5)]
[Conv2D(3, 3, Activation.Silu, Padding = Padding.Same, Residual = true)]
[LayerNorm(Residual = true)]
[Conv2D(2, 1, Activation.Softplus, Stride = 2)]
public partial class ResidualImageNet;

/// <summary>Residual Dense layers over vectors, with and without an activation that keeps its outputs.</summary>
[TargetNetwork(inputs: 6)]
[Dense(6, Activation.Tanh, Residual = true)]
[LayerNorm]
[Dense(6, Residual = true)]
[Dense(2, Activation.Sigmoid)]
public partial class ResidualVectorNet;

/// <summary>
/// A single-channel convolution computed directly, over a width that takes every register size and scalars (28 output
/// columns), with more filters than one register group holds and an activation that keeps z.
/// </summary>
[TargetNetwork(Channels = 1, Height = 7, Width = 30)]
[Conv2D(20, 3, Activation.Gelu)]
[GlobalAvgPool2D]
[Dense(2)]
public partial class DirectConvNet;

/// <summary>
/// Direct convolutions one after another, so that the later ones pass their input gradients down: a 2×2 window over
/// 10 columns, a residual 1×1, then three filters; a pool and a Dense layer after them.
/// </summary>
[TargetNetwork(Channels = 1, Height = 9, Width = 11)]
[Conv2D(1, 2, Activation.Tanh)]
[Conv2D(1, 1, Activation.Sigmoid, Residual = true)]
[Conv2D(3, 3, Activation.Softplus)]
[MaxPool2D(2)]
[Dense(2)]
public partial class DirectChainNet;

/// <summary>Elu after a strided convolution with same padding and after a Dense layer, whose derivative reads f(z).</summary>
[TargetNetwork(Channels = 2, Height = 7, Width = 6)]
[Conv2D(3, 3, Activation.Elu, Stride = 2, Padding = Padding.Same)]
[Dense(4, Activation.Elu)]
[Dense(2)]
public partial class EluImageNet;

/// <summary>LeNet's shape (LeCun et al. 1998): 1×28×28 → conv 6@5×5 → pool → conv 16@5×5 → pool → 120 → 84 → 10.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
public partial class LeNet;

/// <summary>A hypernetwork generating a convolutional target: a task table, a full head over 122 parameters.</summary>
[HyperNetwork(typeof(ConvStridedNet), Tasks = 3, EmbeddingSize = 2)]
[Dense(4, Activation.Tanh)]
public partial class ConvFullHyper;

/// <summary>A chunked hypernetwork over pools and a LayerNorm, whose generated γ is shifted by 1.</summary>
[HyperNetwork(typeof(PoolNet), ConditionSize = 2, ChunkSize = 16, ChunkEmbeddingSize = 2)]
[Dense(5, Activation.Tanh)]
public partial class PoolChunkedHyper;

/// <summary>A full head over a residual image target with a LayerNorm over an image.</summary>
[HyperNetwork(typeof(ResidualImageNet), Tasks = 2, EmbeddingSize = 2, ConditionSize = 1)]
public partial class ResidualImageHyper;

/// <summary>
/// Shared and generated layers interleaved: a shared convolution, a generated LayerNorm, a pool, a shared Dense layer
/// and a generated output layer, so that W is assembled from four runs.
/// </summary>
[TargetNetwork(Channels = 1, Height = 6, Width = 6)]
[Conv2D(2, 3, Activation.Tanh, Shared = true)]
[LayerNorm]
[AvgPool2D(2)]
[Dense(3, Activation.Tanh, Shared = true)]
[Dense(2)]
public partial class MixedSharingNet;

/// <summary>A full head generating MixedSharingNet's LayerNorm and output layer; its convolution and Dense layer shared.</summary>
[HyperNetwork(typeof(MixedSharingNet), Tasks = 3, EmbeddingSize = 2)]
[Dense(4, Activation.Tanh)]
public partial class SharedFullHyper;

/// <summary>A chunked head over the same target with a condition vector: 72 generated parameters in 11 chunks of 7.</summary>
[HyperNetwork(typeof(MixedSharingNet), ConditionSize = 2, ChunkSize = 7, ChunkEmbeddingSize = 2)]
[Dense(5, Activation.Sigmoid)]
public partial class SharedChunkedHyper;

/// <summary>A chunked hypernetwork over LeNet for two tasks, the image sample's shape, for the allocation guard of a step.</summary>
[HyperNetwork(typeof(LeNet), Tasks = 2, EmbeddingSize = 8, ChunkSize = 2048, ChunkEmbeddingSize = 16)]
[Dense(128, Activation.Relu)]
public partial class LeNetHyper;
