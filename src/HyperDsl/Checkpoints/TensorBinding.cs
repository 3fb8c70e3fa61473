using System;

namespace HyperDsl.Checkpoints;

/// <summary>
/// One tensor of a checkpoint and where its values live in memory: <paramref name="Rows"/> × <paramref name="Columns"/>
/// floats (a vector when <paramref name="Columns"/> is 0) from <paramref name="Offset"/> in <paramref name="Buffer"/>.
/// A transposed tensor is a dense layer's weights: stored input-major <c>[in × out]</c> in memory and
/// <c>[out, in]</c> in the file, as <c>torch.nn.Linear</c> keeps them.
/// </summary>
internal readonly record struct TensorBinding(string Name, float[] Buffer, int Offset, int Rows, int Columns, bool Transposed)
{
    /// <summary>The number of floats.</summary>
    public int Length => Columns == 0 ? Rows : Rows * Columns;

    /// <summary>Its shape in the file.</summary>
    public long[] Shape => Columns == 0 ? [Rows] : [Rows, Columns];

    /// <summary>The shape as PyTorch prints it, for messages.</summary>
    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Its values in memory.</summary>
    public Span<float> Values => Buffer.AsSpan(Offset, Length);

    /// <summary>A dense layer's weights, <c>[inputs × units]</c> in memory, <c>[units, inputs]</c> in the file.</summary>
    public static TensorBinding Weights(string name, float[] buffer, int offset, int inputs, int units)
        => new(name, buffer, offset, units, inputs, Transposed: true);

    /// <summary>A row-major matrix stored as it is.</summary>
    public static TensorBinding Matrix(string name, float[] buffer, int offset, int rows, int columns)
        => new(name, buffer, offset, rows, columns, Transposed: false);

    /// <summary>A vector.</summary>
    public static TensorBinding Vector(string name, float[] buffer, int offset, int length)
        => new(name, buffer, offset, length, 0, Transposed: false);

    /// <summary>Copies the values in file order (row-major over <see cref="Shape"/>) into <paramref name="destination"/>.</summary>
    public void CopyToFileOrder(Span<float> destination)
    {
        ReadOnlySpan<float> values = Values;
        if (!Transposed)
        {
            values.CopyTo(destination);
            return;
        }

        // Memory holds [Columns × Rows] (input-major); the file holds [Rows, Columns].
        for (int i = 0; i < Columns; i++)
        {
            for (int o = 0; o < Rows; o++)
            {
                destination[(o * Columns) + i] = values[(i * Rows) + o];
            }
        }
    }

    /// <summary>Copies values in file order from <paramref name="source"/> into memory.</summary>
    public void CopyFromFileOrder(ReadOnlySpan<float> source)
    {
        Span<float> values = Values;
        if (!Transposed)
        {
            source.CopyTo(values);
            return;
        }

        for (int o = 0; o < Rows; o++)
        {
            for (int i = 0; i < Columns; i++)
            {
                values[(i * Rows) + o] = source[(o * Columns) + i];
            }
        }
    }
}
