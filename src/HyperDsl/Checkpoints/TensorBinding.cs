using System;

namespace HyperDsl.Checkpoints;

/// <summary>
/// One tensor of a checkpoint and where its values live in memory: <see cref="Length"/> floats from
/// <see cref="Offset"/> in <see cref="Buffer"/>, shaped <see cref="Shape"/> in the file. When <see cref="Place"/> is
/// given, element k of the tensor in file order lives at <c>Offset + Place(k)</c> — a layer's weights in PyTorch's
/// order against the generated layout's; otherwise memory holds the file's order.
/// </summary>
internal readonly record struct TensorBinding(string Name, float[] Buffer, int Offset, long[] Shape, Func<int, int>? Place)
{
    /// <summary>The number of floats.</summary>
    public int Length => ElementCount(Shape);

    /// <summary>The number of elements of a tensor of shape <paramref name="shape"/>.</summary>
    public static int ElementCount(long[] shape)
    {
        long length = 1;
        foreach (long dimension in shape)
        {
            length *= dimension;
        }

        return (int)length;
    }

    /// <summary>The shape as PyTorch prints it, for messages.</summary>
    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Its values in memory.</summary>
    public Span<float> Values => Buffer.AsSpan(Offset, Length);

    /// <summary>A layer's parameter tensor, in PyTorch's shape and order.</summary>
    public static TensorBinding Layer(string name, float[] buffer, int offset, TorchTensor tensor)
        => new(name, buffer, offset + tensor.Offset, tensor.Shape, tensor.Place);

    /// <summary>A row-major matrix stored as it is.</summary>
    public static TensorBinding Matrix(string name, float[] buffer, int offset, int rows, int columns)
        => new(name, buffer, offset, [rows, columns], null);

    /// <summary>A vector.</summary>
    public static TensorBinding Vector(string name, float[] buffer, int offset, int length)
        => new(name, buffer, offset, [length], null);

    /// <summary>Copies the values in file order (row-major over <see cref="Shape"/>) into <paramref name="destination"/>.</summary>
    public void CopyToFileOrder(Span<float> destination)
    {
        ReadOnlySpan<float> values = Values;
        if (Place is null)
        {
            values.CopyTo(destination);
            return;
        }

        for (int k = 0; k < values.Length; k++)
        {
            destination[k] = values[Place(k)];
        }
    }

    /// <summary>Copies values in file order from <paramref name="source"/> into memory.</summary>
    public void CopyFromFileOrder(ReadOnlySpan<float> source)
    {
        Span<float> values = Values;
        if (Place is null)
        {
            source.CopyTo(values);
            return;
        }

        for (int k = 0; k < values.Length; k++)
        {
            values[Place(k)] = source[k];
        }
    }
}
