using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace HyperDsl.Kernels;

/// <summary>
/// The compile-time layout of a generated hypernetwork, handed by the generated class to
/// <see cref="HyperNetworkModel{TTarget}"/>. Support for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HyperNetworkDescription
{
    /// <summary>The hypernetwork class's name, for messages.</summary>
    public required string Name { get; init; }

    /// <summary>Rows of the task-embedding table.</summary>
    public required int Tasks { get; init; }

    /// <summary>Width of a task embedding.</summary>
    public required int EmbeddingSize { get; init; }

    /// <summary>Width of a condition vector.</summary>
    public required int ConditionSize { get; init; }

    /// <summary>Target parameters per head call, or 0 when not chunked.</summary>
    public required int ChunkSize { get; init; }

    /// <summary>Width of a chunk embedding, or 0.</summary>
    public required int ChunkEmbeddingSize { get; init; }

    /// <summary>Head calls per task (1 when not chunked).</summary>
    public required int ChunkCount { get; init; }

    /// <summary>Floats in θ.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>Offset of the generator network g's parameters in θ (after the embedding table).</summary>
    public required int GeneratorOffset { get; init; }

    /// <summary>Floats of g's parameters.</summary>
    public required int GeneratorParameterCount { get; init; }

    /// <summary>Offset of the chunk embeddings in θ.</summary>
    public required int ChunkEmbeddingsOffset { get; init; }

    /// <summary>Width of g's input: [embedding ; condition ; chunk embedding].</summary>
    public required int GeneratorInputSize { get; init; }

    /// <summary>Floats of g's workspace per row.</summary>
    public required int GeneratorWorkspacePerRow { get; init; }

    /// <summary>Floats of g's backward scratch per row.</summary>
    public required int GeneratorScratchPerRow { get; init; }

    /// <summary>g's layers: the body, then the head; offsets relative to g's parameters.</summary>
    public required IReadOnlyList<LayerDescription> GeneratorLayers { get; init; }

    /// <summary>The target network's layers; offsets in its parameter vector W.</summary>
    public required IReadOnlyList<LayerDescription> TargetLayers { get; init; }

    /// <summary>Outputs of one head call: ChunkSize when chunked, else the target's parameter count.</summary>
    public int HeadUnits => GeneratorLayers[GeneratorLayers.Count - 1].Units;

    /// <summary>Inputs of the head: the width of g's last hidden layer, or of g's input when it has none.</summary>
    public int HeadInputs => GeneratorLayers[GeneratorLayers.Count - 1].Inputs;

    /// <summary>Width of z = [embedding ; condition].</summary>
    public int TaskInputSize => EmbeddingSize + ConditionSize;
}

/// <summary>
/// The generator network g of a hypernetwork, as the generated code compiles it: batched forward and backward over
/// rows of g's input. Support for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratorKernels
{
    /// <summary>outputs = g(inputs) for <paramref name="rows"/> rows; the workspace keeps what Backward needs.</summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputs">Receives the head's outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">Workspace for the rows.</param>
    void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int rows, Span<float> workspace);

    /// <summary>Adds ∂L/∂(g's parameters) and writes ∂L/∂inputs, after Forward with the same arguments.</summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputGradients">∂L/∂outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">The workspace Forward filled.</param>
    /// <param name="parameterGradients">g's parameter gradients; added to.</param>
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
    /// all rows, plus its bias when the range starts at input 0. Two ranges that cover the inputs, their outputs
    /// added, give the head's outputs (to rounding: the sum is split in two).
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input, as given to ForwardBody.</param>
    /// <param name="rows">The number of rows ForwardBody ran on.</param>
    /// <param name="workspace">The workspace ForwardBody filled.</param>
    /// <param name="inputStart">The first head input of the range.</param>
    /// <param name="inputEnd">One past the last head input of the range.</param>
    /// <param name="outputs">Receives the sums, per row.</param>
    void ForwardHead(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int rows, ReadOnlySpan<float> workspace, int inputStart, int inputEnd, Span<float> outputs);

    /// <summary>
    /// The head's part of <see cref="Backward"/> for its inputs [<paramref name="inputStart"/>, inputEnd), over all
    /// rows: adds those rows of the head's weight gradient (and its bias gradient, with the range that ends at the
    /// last input) and writes those columns of the head's input gradients. Ranges that cover the inputs once give
    /// exactly what Backward gives, whichever thread computes which.
    /// </summary>
    /// <param name="parameters">g's parameters.</param>
    /// <param name="inputs">Rows of g's input.</param>
    /// <param name="outputGradients">∂L/∂outputs per row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="workspace">The workspace of the forward passes.</param>
    /// <param name="parameterGradients">g's parameter gradients; added to.</param>
    /// <param name="headInputGradients">∂L/∂(the head's inputs) per row; the columns of the range are written.</param>
    /// <param name="inputStart">The first head input of the range.</param>
    /// <param name="inputEnd">One past the last head input of the range.</param>
    void BackwardHead(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> outputGradients,
        int rows,
        ReadOnlySpan<float> workspace,
        Span<float> parameterGradients,
        Span<float> headInputGradients,
        int inputStart,
        int inputEnd);

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
