using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Small pieces of kernel text shared by the emitters: offsets, names, formulas.</summary>
internal static class KernelText
{
    /// <summary>Inputs up to this count are unrolled in the forward kernel; more run in a loop with a constant bound.</summary>
    public const int UnrolledInputs = 4;

    /// <summary>Full registers of a reduction up to this count are unrolled in the input-gradient kernel.</summary>
    public const int UnrolledReductionVectors = 1;

    /// <summary>
    /// Declares <c>ref float name = ref Unsafe.Add(ref reference, offset)</c> and returns <paramref name="name"/>; for a
    /// zero offset declares nothing and returns <paramref name="reference"/>.
    /// </summary>
    public static string DeclareOffset(CodeWriter writer, string name, string reference, string offset)
    {
        if (offset == "0")
        {
            return reference;
        }

        writer.Line($"ref float {name} = ref Unsafe.Add(ref {reference}, {offset});");
        return name;
    }

    /// <summary>The sum of a variable and a constant as an expression, folding the zeros.</summary>
    public static string Plus(string variable, int constant)
        => int.TryParse(variable, out int number) ? (number + constant).ToString()
            : constant == 0 ? variable
            : $"{variable} + {constant}";

    /// <summary>The product of a variable expression and a constant, folding constants, ones and zeros.</summary>
    public static string Times(string variable, int constant)
        => int.TryParse(variable, out int number) ? ((long)number * constant).ToString()
            : constant == 0 ? "0"
            : constant == 1 ? variable
            : $"{variable} * {constant}";

    /// <summary>The layer's name with a lower-case first letter, as a prefix for local variables.</summary>
    public static string Local(LayerSlice layer)
        => char.ToLowerInvariant(layer.Name[0]) + layer.Name.Substring(1);

    /// <summary>The layer's input and output shapes: <c>40 -> 40</c>, or <c>1×28×28 -> 6×24×24</c> where images are involved.</summary>
    public static string Shape(LayerSlice layer)
        => layer.Spec.Input.IsImage || layer.Spec.Output.IsImage ? $"{layer.Spec.Input} -> {layer.Spec.Output}" : $"{layer.Inputs} -> {layer.Units}";

    /// <summary>What a layer is, for tables: <c>Dense</c>, <c>Conv2D 5×5/1</c> (window and stride), <c>MaxPool2D 2×2</c>, ...</summary>
    public static string Kind(LayerSlice layer) => layer.Kind switch
    {
        LayerKindSpec.Conv2D => $"Conv2D {layer.Spec.Kernel}×{layer.Spec.Kernel}/{layer.Spec.Stride}{(layer.Spec.PadTop > 0 || layer.Spec.PadLeft > 0 ? " same" : string.Empty)}",
        LayerKindSpec.MaxPool2D or LayerKindSpec.AvgPool2D => $"{layer.Kind} {layer.Spec.Kernel}×{layer.Spec.Kernel}",
        _ => layer.Kind.ToString(),
    } + (layer.Residual ? " +x" : string.Empty) + (layer.Spec.Shared ? " shared" : string.Empty);

    /// <summary>The layer's function as a formula over x·W + b, for comments.</summary>
    public static string Formula(LayerSlice layer) => layer.Activation switch
    {
        ActivationKind.Identity => "x·W + b",
        ActivationKind.Relu => "relu(x·W + b)",
        ActivationKind.LeakyRelu => "leaky_relu(x·W + b)",
        ActivationKind.Tanh => "tanh(x·W + b)",
        ActivationKind.Sigmoid => "sigmoid(x·W + b)",
        ActivationKind.Gelu => "gelu(x·W + b)",
        ActivationKind.Silu => "silu(x·W + b)",
        ActivationKind.Elu => "elu(x·W + b)",
        _ => "softplus(x·W + b)",
    };

    /// <summary>The value a forward kernel stores for an accumulator: the fused activation, if any, applied.</summary>
    public static string FusedActivation(ActivationKind activation, VectorKind kind, string accumulator) => activation switch
    {
        ActivationKind.Relu => kind.Max(accumulator, kind.Zero),
        ActivationKind.LeakyRelu => kind.Max(accumulator, $"{accumulator} * ActivationKernels.LeakyReluSlope"),
        _ => accumulator,
    };
}
