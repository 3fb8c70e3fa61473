using System;

namespace HyperDsl;

/// <summary>
/// What every generated target network is, as static members: sizes, and the batched forward and backward passes. The
/// generator implements it on each <see cref="TargetNetworkAttribute"/> class, so that generic code — a hypernetwork,
/// an exporter — can run any target network it is given as a type argument.
/// </summary>
/// <remarks>The members mirror the generated ones; see <see cref="TargetNetworkAttribute"/>.</remarks>
public interface ITargetNetwork
{
    /// <summary>Inputs per sample.</summary>
    static abstract int InputSize { get; }

    /// <summary>Outputs per sample.</summary>
    static abstract int OutputSize { get; }

    /// <summary>Floats in the flat parameter vector W.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>The layers in order, with their offsets in W.</summary>
    static abstract System.Collections.Generic.IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>A summary of the network like Keras' <c>model.summary()</c>: layers, shapes, activations, parameter counts and offsets.</summary>
    static abstract string Summary { get; }

    /// <summary>Floats of workspace that Forward needs for <paramref name="batch"/> samples.</summary>
    /// <param name="batch">The number of samples, at least 1.</param>
    /// <returns>The number of floats.</returns>
    static abstract int WorkspaceSize(int batch);

    /// <summary>outputs = h(inputs; parameters) for a batch of samples.</summary>
    /// <param name="parameters">W, exactly ParameterCount floats.</param>
    /// <param name="inputs">The samples, row-major <c>[batch × InputSize]</c>.</param>
    /// <param name="outputs">Receives the outputs, row-major <c>[batch × OutputSize]</c>.</param>
    /// <param name="batch">The number of samples, at least 1.</param>
    /// <param name="workspace">At least WorkspaceSize(batch) floats.</param>
    static abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, Span<float> workspace);

    /// <summary>Adds ∂L/∂W to parameterGradients and writes ∂L/∂x unless inputGradients is empty.</summary>
    /// <param name="parameters">W, exactly ParameterCount floats.</param>
    /// <param name="inputs">The samples passed to Forward.</param>
    /// <param name="outputGradients">∂L/∂outputs, <c>[batch × OutputSize]</c>.</param>
    /// <param name="batch">The number of samples, at least 1.</param>
    /// <param name="workspace">The workspace that Forward filled.</param>
    /// <param name="parameterGradients">Exactly ParameterCount floats; ∂L/∂W is added.</param>
    /// <param name="inputGradients">Receives ∂L/∂inputs, or empty.</param>
    static abstract void Backward(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> outputGradients,
        int batch,
        ReadOnlySpan<float> workspace,
        Span<float> parameterGradients,
        Span<float> inputGradients);
}
