namespace HyperDsl;

/// <summary>How a <see cref="Conv2DAttribute"/> layer pads its input.</summary>
public enum Padding
{
    /// <summary>No padding: the output is ⌊(in − kernel) / stride⌋ + 1 wide.</summary>
    Valid = 0,

    /// <summary>
    /// Zero padding so that the output is ⌈in / stride⌉ wide; the total padding max((out − 1)·stride + kernel − in, 0)
    /// is split as ONNX's SAME_UPPER does, the extra row or column at the end.
    /// </summary>
    Same = 1,
}
