using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace HyperDsl.Kernels;

/// <summary>
/// A task encoder E as the runtime calls it: a compiled network over one support pair [x ; y] per row, whose static
/// passes a generated hypernetwork hands over as an instance (see <see cref="SetEncoder{TEncoder}"/>). Support for
/// generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISetEncoder
{
    /// <summary>Floats per row: the target's inputs and outputs together.</summary>
    int InputSize { get; }

    /// <summary>Width of one pair's encoding.</summary>
    int OutputSize { get; }

    /// <summary>Floats of E's parameters.</summary>
    int ParameterCount { get; }

    /// <summary>E's layers, offsets relative to its parameters.</summary>
    IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>Floats of workspace the passes need for <paramref name="rows"/> pairs.</summary>
    /// <param name="rows">Pairs per call, at least 1.</param>
    /// <returns>The number of floats.</returns>
    int WorkspaceSize(int rows);

    /// <summary>E over <paramref name="rows"/> pairs; see <see cref="ITargetNetwork.Forward"/>.</summary>
    /// <param name="parameters">E's parameters.</param>
    /// <param name="inputs">The pairs <c>[rows × InputSize]</c>.</param>
    /// <param name="outputs">Receives the encodings <c>[rows × OutputSize]</c>.</param>
    /// <param name="rows">The number of pairs.</param>
    /// <param name="workspace">At least WorkspaceSize(rows) floats.</param>
    void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int rows, Span<float> workspace);

    /// <summary>Adds ∂L/∂(E's parameters); see <see cref="ITargetNetwork.Backward"/>.</summary>
    /// <param name="parameters">E's parameters.</param>
    /// <param name="inputs">The pairs passed to Forward.</param>
    /// <param name="outputGradients">∂L/∂(each encoding) <c>[rows × OutputSize]</c>.</param>
    /// <param name="rows">The number of pairs.</param>
    /// <param name="workspace">The workspace Forward filled.</param>
    /// <param name="parameterGradients">∂L/∂(E's parameters) is added here.</param>
    void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int rows, ReadOnlySpan<float> workspace, Span<float> parameterGradients);
}

/// <summary>The passes of the compiled network <typeparamref name="TEncoder"/> as an <see cref="ISetEncoder"/>. Support for generated code.</summary>
/// <typeparam name="TEncoder">A <see cref="TargetNetworkAttribute"/> class over support pairs.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SetEncoder<TEncoder> : ISetEncoder
    where TEncoder : ITargetNetwork
{
    /// <inheritdoc/>
    public int InputSize => TEncoder.InputSize;

    /// <inheritdoc/>
    public int OutputSize => TEncoder.OutputSize;

    /// <inheritdoc/>
    public int ParameterCount => TEncoder.ParameterCount;

    /// <inheritdoc/>
    public IReadOnlyList<LayerDescription> Layers => TEncoder.Layers;

    /// <inheritdoc/>
    public int WorkspaceSize(int rows) => TEncoder.WorkspaceSize(rows);

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int rows, Span<float> workspace)
        => TEncoder.Forward(parameters, inputs, outputs, rows, workspace);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int rows, ReadOnlySpan<float> workspace, Span<float> parameterGradients)
        => TEncoder.Backward(parameters, inputs, outputGradients, rows, workspace, parameterGradients, Span<float>.Empty);
}
