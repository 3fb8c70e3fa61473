namespace HyperDsl.Generators.Model;

/// <summary>The generator's copy of <c>HyperDsl.LayerKind</c>; the values must match, which a test checks.</summary>
internal enum LayerKindSpec
{
    Dense = 0,
    Conv2D = 1,
    MaxPool2D = 2,
    AvgPool2D = 3,
    GlobalAvgPool2D = 4,
    LayerNorm = 5,
}

/// <summary>
/// The shape of one sample: an image of Channels × Height × Width, or a vector of Channels features (height and width 1).
/// </summary>
internal readonly record struct ShapeSpec(int Channels, int Height, int Width, bool IsImage)
{
    /// <summary>Floats per sample (the parser has checked that it fits an int).</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Floats per sample, without overflow.</summary>
    public long LongSize => (long)Channels * Height * Width;

    public static ShapeSpec Vector(int features) => new(features, 1, 1, IsImage: false);

    public static ShapeSpec Image(int channels, int height, int width) => new(channels, height, width, IsImage: true);

    /// <summary>As the header and Summary show it: <c>6×24×24</c> for an image, <c>40</c> for a vector.</summary>
    public override string ToString() => IsImage ? $"{Channels}×{Height}×{Width}" : Channels.ToString();
}

/// <summary>
/// One layer as declared, its shapes worked out: what it computes (<see cref="Kind"/>), the shape it reads and the one it
/// writes, and its settings. Only values, so that the incremental pipeline caches it.
/// </summary>
/// <param name="Name">Its name (its kind and position unless named).</param>
/// <param name="Kind">What it computes.</param>
/// <param name="Input">The shape it reads.</param>
/// <param name="Output">The shape it writes.</param>
/// <param name="Activation">Its activation (Dense and Conv2D; Identity otherwise).</param>
/// <param name="Kernel">The window's side (Conv2D, pools), else 0.</param>
/// <param name="Stride">The step between windows (Conv2D, pools), else 1.</param>
/// <param name="PadTop">Zero rows added above the input (Conv2D with same padding), else 0.</param>
/// <param name="PadLeft">Zero columns added left of the input (Conv2D with same padding), else 0.</param>
/// <param name="Residual">Whether the input is added to the output.</param>
/// <param name="Shared">Whether a hypernetwork learns the layer's parameters directly instead of generating them.</param>
internal sealed record LayerSpec(
    string Name,
    LayerKindSpec Kind,
    ShapeSpec Input,
    ShapeSpec Output,
    ActivationKind Activation,
    int Kernel = 0,
    int Stride = 1,
    int PadTop = 0,
    int PadLeft = 0,
    bool Residual = false,
    bool Shared = false)
{
    /// <summary>Floats the layer reads per sample (its fan-in for a Dense layer).</summary>
    public int Inputs => Input.Size;

    /// <summary>Floats the layer writes per sample (its units for a Dense layer).</summary>
    public int Units => Output.Size;

    /// <summary>A dense layer from <paramref name="inputs"/> features to <paramref name="units"/>.</summary>
    public static LayerSpec Dense(string name, int inputs, int units, ActivationKind activation)
        => new(name, LayerKindSpec.Dense, ShapeSpec.Vector(inputs), ShapeSpec.Vector(units), activation);

    /// <summary>Rows of a convolution's weight matrix: kernel² × input channels, one per window tap and channel.</summary>
    public int ConvolutionTaps => Kernel * Kernel * Input.Channels;

    /// <summary>
    /// Whether a Conv2D layer is computed directly rather than as the product of its window rows with its weights: one
    /// input channel, stride 1 and no padding, so that the inputs under a run of output columns are a run of an input
    /// row. Such a layer is vectorised over output columns, whatever its number of filters, and keeps no window rows.
    /// </summary>
    public bool ConvolvesDirectly
        => Kind == LayerKindSpec.Conv2D && Input.Channels == 1 && Stride == 1 && PadTop == 0 && PadLeft == 0
            && Output.Height == Input.Height - Kernel + 1 && Output.Width == Input.Width - Kernel + 1;

    /// <summary>Output pixels of a spatial layer: its output's height × width.</summary>
    public int OutputPixels => Output.Height * Output.Width;

    /// <summary>
    /// The layer's weights as a dense matrix [rows × columns]: Dense [inputs × units]; Conv2D [kernel²·channels ×
    /// filters]; LayerNorm γ as one row of its features; none for pools.
    /// </summary>
    public (int Rows, int Columns) WeightShape => Kind switch
    {
        LayerKindSpec.Dense => (Inputs, Units),
        LayerKindSpec.Conv2D => (ConvolutionTaps, Output.Channels),
        LayerKindSpec.LayerNorm => (1, Units),
        _ => (0, 0),
    };

    /// <summary>Floats of the bias (β for LayerNorm): Dense units, Conv2D filters, LayerNorm features; 0 for pools.</summary>
    public int BiasLength => Kind switch
    {
        LayerKindSpec.Dense => Units,
        LayerKindSpec.Conv2D => Output.Channels,
        LayerKindSpec.LayerNorm => Units,
        _ => 0,
    };

    /// <summary>Whether the layer has parameters.</summary>
    public bool HasParameters => BiasLength > 0;

    /// <summary>The fan-in of a generated weight, for initialisation: Dense inputs, Conv2D kernel²·channels.</summary>
    public int FanIn => Kind == LayerKindSpec.Conv2D ? ConvolutionTaps : Inputs;
}
