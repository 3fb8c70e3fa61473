using System.Collections.Generic;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// One code path of every kernel: the widest register it uses, the narrower ones that finish a width that is not a
/// multiple of it, and how many rows and columns one micro-tile keeps in registers.
/// </summary>
/// <remarks>
/// The register budgets: AVX-512 has 32 vector registers, AVX2, SSE and NEON have 16 (NEON 32), so the 512-bit path
/// keeps 4×4 accumulators and the narrower ones 4×2 or 2×4. The scalar path runs only where no vector is
/// accelerated; its kernels are plain loops and ignore the tile sizes.
/// </remarks>
internal sealed class VectorTier
{
    public static readonly IReadOnlyList<VectorTier> All = new[]
    {
        new VectorTier("512", VectorKind.Vector512, new[] { VectorKind.Vector256, VectorKind.Vector128 }, forwardRows: 4, columnVectors: 4, inputGradientRows: 4),
        new VectorTier("256", VectorKind.Vector256, new[] { VectorKind.Vector128 }, forwardRows: 4, columnVectors: 2, inputGradientRows: 2),
        new VectorTier("128", VectorKind.Vector128, new VectorKind[0], forwardRows: 4, columnVectors: 2, inputGradientRows: 2),
        new VectorTier("Scalar", VectorKind.Scalar, new VectorKind[0], forwardRows: 2, columnVectors: 4, inputGradientRows: 2),
    };

    private VectorTier(string name, VectorKind full, IReadOnlyList<VectorKind> narrower, int forwardRows, int columnVectors, int inputGradientRows)
    {
        Name = name;
        Full = full;
        Narrower = narrower;
        ForwardRows = forwardRows;
        ColumnVectors = columnVectors;
        InputGradientRows = inputGradientRows;
    }

    /// <summary>The suffix of the kernel methods of this path: <c>512</c>, <c>256</c>, <c>128</c> or <c>Scalar</c>.</summary>
    public string Name { get; }

    /// <summary>The widest register of the path.</summary>
    public VectorKind Full { get; }

    /// <summary>Narrower registers, widest first, for the remainder of a width; then scalars for what is left.</summary>
    public IReadOnlyList<VectorKind> Narrower { get; }

    /// <summary>Samples per micro-tile in the forward pass.</summary>
    public int ForwardRows { get; }

    /// <summary>Full registers of columns per micro-tile (forward and weight gradient).</summary>
    public int ColumnVectors { get; }

    /// <summary>Rows of the weight gradient per micro-tile, and inputs per micro-tile of the input gradient.</summary>
    public int InputsPerTile => 4;

    /// <summary>Samples per micro-tile in the input gradient.</summary>
    public int InputGradientRows { get; }

    /// <summary>The condition under which this path runs, a JIT-time constant.</summary>
    public string Condition => Full.IsScalar ? string.Empty : $"Vector{Name}.IsHardwareAccelerated";

    /// <summary>Words for comments: "Vector512", ..., "scalar".</summary>
    public string Description => Full.IsScalar ? "scalar" : "Vector" + Name;
}
