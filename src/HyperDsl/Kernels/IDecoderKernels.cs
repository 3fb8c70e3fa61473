using System;
using System.ComponentModel;

namespace HyperDsl.Kernels;

/// <summary>
/// The decoder g of a hypernetwork — z (and a chunk embedding) in, the head's outputs out — as the generated code
/// compiles it: batched forward and backward over rows of g's input, whole or split into the passes that two threads
/// share. Support for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IDecoderKernels
{
    /// <summary>outputs = g(inputs) for <paramref name="rows"/> rows; the workspace keeps what Backward needs.</summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputs">Receives the head's outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">Workspace for the rows.</param>
    void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int rows, Span<float> workspace);

    /// <summary>
    /// After Forward with the same arguments: adds ∂L/∂(the body's parameters), <b>writes</b> ∂L/∂(the head's
    /// parameters) — the head's gradient over every row at once, so the caller need not clear it — and writes
    /// ∂L/∂inputs.
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputGradients">∂L/∂outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">The workspace Forward filled.</param>
    /// <param name="parameterGradients">g's parameter gradients; the body's added to, the head's written.</param>
    /// <param name="inputGradients">Receives ∂L/∂inputs.</param>
    /// <param name="scratch">Scratch for all rows' gradients at once.</param>
    void Backward(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> outputGradients,
        int rows,
        ReadOnlySpan<float> workspace,
        Span<float> parameterGradients,
        Span<float> inputGradients,
        Span<float> scratch);

    /// <summary>
    /// The first part of <see cref="Forward"/>: the layers below the head on all <paramref name="rows"/> rows. Then
    /// <see cref="ForwardHead"/> over ranges of the head's inputs; the two passes let two threads share the head.
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">Workspace for the rows; keeps the head's inputs.</param>
    void ForwardBody(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int rows, Span<float> workspace);

    /// <summary>
    /// After <see cref="ForwardBody"/>, the head's sum over its inputs [<paramref name="inputStart"/>, inputEnd) for
    /// all rows, plus its bias when <paramref name="withBias"/>. Two ranges that cover the inputs, exactly one of them
    /// with the bias, their outputs added, give the head's outputs (to rounding: the sum is split in two).
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input, as given to ForwardBody.</param>
    /// <param name="rows">The number of rows ForwardBody ran on.</param>
    /// <param name="workspace">The workspace ForwardBody filled.</param>
    /// <param name="inputStart">The first head input of the range.</param>
    /// <param name="inputEnd">One past the last head input of the range; may equal the start (an empty range).</param>
    /// <param name="withBias">Whether this range adds the head's bias.</param>
    /// <param name="outputs">Receives the sums, per row.</param>
    void ForwardHead(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int rows, ReadOnlySpan<float> workspace, int inputStart, int inputEnd, bool withBias, Span<float> outputs);

    /// <summary>
    /// The head's part of <see cref="Backward"/> for its inputs [<paramref name="inputStart"/>, inputEnd), over all
    /// rows: writes those rows of the head's weight gradient (and its bias gradient when <paramref name="withBias"/>)
    /// and those columns of the head's input gradients. Ranges that cover the inputs once, exactly one of them with
    /// the bias, give exactly what Backward gives, whichever thread computes which.
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputGradients">∂L/∂outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">The workspace of the forward passes.</param>
    /// <param name="parameterGradients">g's parameter gradients; the head's rows of the range written.</param>
    /// <param name="headInputGradients">∂L/∂(the head's inputs) per row; the columns of the range are written.</param>
    /// <param name="inputStart">The first head input of the range.</param>
    /// <param name="inputEnd">One past the last head input of the range; may equal the start (an empty range).</param>
    /// <param name="withBias">Whether this range adds the head's bias gradient.</param>
    void BackwardHead(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> outputGradients,
        int rows,
        ReadOnlySpan<float> workspace,
        Span<float> parameterGradients,
        Span<float> headInputGradients,
        int inputStart,
        int inputEnd,
        bool withBias);

    /// <summary>The rest of <see cref="Backward"/>: the layers below the head, from the head's input gradients.</summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">The workspace of the forward passes.</param>
    /// <param name="headInputGradients">∂L/∂(the head's inputs) of all rows, from BackwardHead; overwritten.</param>
    /// <param name="parameterGradients">g's parameter gradients; added to.</param>
    /// <param name="inputGradients">Receives ∂L/∂inputs.</param>
    /// <param name="scratch">Scratch for all rows' gradients at once.</param>
    void BackwardBody(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> inputs,
        int rows,
        ReadOnlySpan<float> workspace,
        Span<float> headInputGradients,
        Span<float> parameterGradients,
        Span<float> inputGradients,
        Span<float> scratch);
}
