namespace HyperDsl.Generators.Emitting;

/// <summary>
/// One register type a kernel computes with — Vector512, Vector256, Vector128 of float, or a plain float — and how
/// each operation on it is spelled in C#.
/// </summary>
internal sealed class VectorKind
{
    public static readonly VectorKind Vector512 = new("Vector512", 16);
    public static readonly VectorKind Vector256 = new("Vector256", 8);
    public static readonly VectorKind Vector128 = new("Vector128", 4);
    public static readonly VectorKind Scalar = new(null, 1);

    private readonly string? typeName;

    private VectorKind(string? typeName, int lanes)
    {
        this.typeName = typeName;
        Lanes = lanes;
    }

    /// <summary>Floats per register.</summary>
    public int Lanes { get; }

    public bool IsScalar => typeName is null;

    /// <summary>A suffix that tells variables of different kinds apart: <c>512</c>, <c>256</c>, <c>128</c>, or empty.</summary>
    public string Suffix => typeName is null ? string.Empty : typeName.Substring("Vector".Length);

    public string Zero => typeName is null ? "0f" : typeName + "<float>.Zero";

    /// <summary>Reads the register at a constant element offset from a reference.</summary>
    public string Load(string reference, int offset)
        => typeName is null
            ? Element(reference, offset)
            : offset == 0 ? $"{typeName}.LoadUnsafe(ref {reference})" : $"{typeName}.LoadUnsafe(ref {reference}, {offset})";

    /// <summary>A statement that writes <paramref name="value"/> at a constant element offset from a reference.</summary>
    public string Store(string value, string reference, int offset)
        => typeName is null
            ? $"{Element(reference, offset)} = {value};"
            : offset == 0 ? $"{typeName}.StoreUnsafe({value}, ref {reference});" : $"{typeName}.StoreUnsafe({value}, ref {reference}, {offset});";

    /// <summary>A register with every lane set to the float <paramref name="scalar"/>.</summary>
    public string Broadcast(string scalar) => typeName is null ? scalar : $"{typeName}.Create({scalar})";

    /// <summary>A statement that does <c>accumulator += left · right</c>, fused where the CPU can.</summary>
    public string MultiplyAdd(string accumulator, string left, string right)
        => typeName is null
            ? $"{accumulator} += {left} * {right};"
            : $"{accumulator} = Simd.MultiplyAdd({left}, {right}, {accumulator});";

    /// <summary>The sum of the lanes, a float.</summary>
    public string Sum(string value) => typeName is null ? value : $"{typeName}.Sum({value})";

    public string Max(string left, string right) => typeName is null ? $"MathF.Max({left}, {right})" : $"{typeName}.Max({left}, {right})";

    /// <summary>The element at a constant offset from a reference, as a float.</summary>
    public static string Element(string reference, int offset)
        => offset == 0 ? reference : $"Unsafe.Add(ref {reference}, {offset})";
}
