namespace HyperDsl;

/// <summary>
/// One layer of a generated network: what it computes, its shapes, its activation, and its place in the parameter vector.
/// </summary>
/// <param name="Name">The layer's name (its kind and position, <c>Dense0</c>, <c>Conv1</c>, ..., unless named).</param>
/// <param name="Inputs">Floats it reads per sample (a Dense layer's fan-in).</param>
/// <param name="Units">Floats it writes per sample (a Dense layer's fan-out).</param>
/// <param name="Activation">Its activation (Identity for pools and LayerNorm).</param>
/// <param name="WeightsOffset">Offset of its weights in its network's parameters (LayerNorm: γ).</param>
/// <param name="BiasOffset">Offset of its bias (LayerNorm: β).</param>
/// <param name="ActivationSlot">Per-sample workspace offset of its activations f(z), or −1 when the forward pass does not keep them.</param>
public readonly record struct LayerDescription(string Name, int Inputs, int Units, Activation Activation, int WeightsOffset, int BiasOffset, int ActivationSlot)
{
    private readonly Shape inputShape;
    private readonly Shape outputShape;

    /// <summary>What the layer computes. Default <see cref="LayerKind.Dense"/>.</summary>
    public LayerKind Kind { get; init; }

    /// <summary>The shape of the sample it reads: an image, or a vector of <see cref="Inputs"/> features.</summary>
    public Shape InputShape { get => inputShape.Channels == 0 ? Shape.Vector(Inputs) : inputShape; init => inputShape = value; }

    /// <summary>The shape of the sample it writes: an image, or a vector of <see cref="Units"/> features.</summary>
    public Shape OutputShape { get => outputShape.Channels == 0 ? Shape.Vector(Units) : outputShape; init => outputShape = value; }

    /// <summary>The side of a convolution's or a pool's window, else 0.</summary>
    public int Kernel { get; init; }

    /// <summary>The step between a convolution's windows (a pool's is its size), else 0.</summary>
    public int Stride { get; init; }

    /// <summary>Zero rows a convolution adds above its input (same padding), else 0.</summary>
    public int PadTop { get; init; }

    /// <summary>Zero columns a convolution adds left of its input (same padding), else 0.</summary>
    public int PadLeft { get; init; }

    /// <summary>Whether the layer adds its input to its output.</summary>
    public bool Residual { get; init; }

    /// <summary>Whether a hypernetwork learns the layer's parameters directly instead of generating them.</summary>
    public bool Shared { get; init; }

    /// <summary>An attention block's heads, else 0.</summary>
    public int Heads { get; init; }

    /// <summary>An attention block's feed-forward hidden width, else 0.</summary>
    public int FeedForward { get; init; }

    /// <summary>Whether the layer is an attention block (<see cref="LayerKind.SetAttention"/> or <see cref="LayerKind.SelfAttention"/>).</summary>
    public bool IsAttention => Kind is LayerKind.SetAttention or LayerKind.SelfAttention;

    /// <summary>An attention block's sizes and the layout of its parameters (attention blocks only).</summary>
    public Kernels.AttentionShape Attention => new(Inputs, Heads, FeedForward);

    /// <summary>
    /// Rows of the weights as a matrix: a Dense layer's inputs, a convolution's kernel² × input channels (one row per
    /// window tap and channel, in the order (ky, kx, c)), 1 for LayerNorm's γ, 0 for pools.
    /// </summary>
    public int WeightRows => Kind switch
    {
        LayerKind.Dense => Inputs,
        LayerKind.Conv2D => Kernel * Kernel * InputShape.Channels,
        LayerKind.LayerNorm => 1,
        _ => 0,
    };

    /// <summary>Columns of the weights as a matrix: a Dense layer's units, a convolution's filters, LayerNorm's features, 0 for pools.</summary>
    public int WeightColumns => Kind switch
    {
        LayerKind.Conv2D => OutputShape.Channels,
        LayerKind.Dense or LayerKind.LayerNorm => Units,
        _ => 0,
    };

    /// <summary>Floats of the weights (an attention block: all its parameters, laid out as <see cref="Kernels.AttentionShape"/> says).</summary>
    public int WeightsLength => IsAttention ? Attention.ParameterCount : WeightRows * WeightColumns;

    /// <summary>Floats of the bias (LayerNorm: β): a Dense layer's units, a convolution's filters, LayerNorm's features, 0 for pools and attention blocks.</summary>
    public int BiasLength => IsAttention ? 0 : WeightColumns;

    /// <summary>The number of parameters: weights and bias.</summary>
    public int ParameterCount => WeightsLength + BiasLength;

    /// <summary>The fan-in of one weight, as initialisation uses it: a Dense layer's inputs, a convolution's kernel² × input channels.</summary>
    public int FanIn => Kind == LayerKind.Dense ? Inputs : WeightRows;

    /// <summary>The fan-out of one weight: a Dense layer's units, a convolution's kernel² × filters.</summary>
    public int FanOut => Kind == LayerKind.Conv2D ? Kernel * Kernel * OutputShape.Channels : Units;
}
