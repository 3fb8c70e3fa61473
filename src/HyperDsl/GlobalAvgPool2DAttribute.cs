using System;

namespace HyperDsl;

/// <summary>
/// The mean of each channel over the whole image: a C × H × W input becomes a vector of C features — PyTorch's
/// <c>nn.AdaptiveAvgPool2d(1)</c> followed by a flatten.
/// </summary>
/// <remarks>No parameters.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : Attribute
{
    /// <summary>The layer's name, for summaries. Default <c>GlobalAvgPool</c> and its position.</summary>
    public string? Name { get; set; }
}
