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

    public static string Shape(LayerSlice layer) => $"{layer.Inputs} -> {layer.Units}";

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
