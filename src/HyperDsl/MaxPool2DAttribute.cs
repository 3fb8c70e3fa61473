using System;

namespace HyperDsl;

/// <summary>
/// The largest value of each <c>size</c> × <c>size</c> window, per channel — PyTorch's <c>nn.MaxPool2d(size)</c>: windows do not overlap (stride = size), rows and columns that do not fill a window are dropped (as PyTorch floors), and in the backward pass the gradient of a window goes to its first maximum in row-major order.
/// </summary>
/// <remarks>No parameters.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Declares a pooling layer.</summary>
    /// <param name="size">The side of the square window, and the step between windows; at least 1, no larger than the input.</param>
    public MaxPool2DAttribute(int size) => Size = size;

    /// <summary>The side of the square window, and the step between windows.</summary>
    public int Size { get; }

    /// <summary>The layer's name, for summaries. Default <c>MaxPool</c> and its position.</summary>
    public string? Name { get; set; }
}
