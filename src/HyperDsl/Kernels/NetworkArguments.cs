using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HyperDsl.Kernels;

/// <summary>
/// Argument checks for generated network methods. Support for generated code; not intended to be called directly.
/// </summary>
/// <remarks>
/// Every check runs before a generated method writes anything, so a call with a bad argument leaves every buffer as
/// it was. The messages name the method, the argument, and the sizes needed and given.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkArguments
{
    /// <summary>Checks every argument of a target network's <c>Forward</c>: the batch, each span's length, and that
    /// the buffers written (outputs, workspace) overlap nothing they are computed from.</summary>
    /// <param name="method">The checked method, as <c>Network.Forward</c>.</param>
    /// <param name="parameters">The parameters passed.</param>
    /// <param name="parameterCount">The network's <c>ParameterCount</c>.</param>
    /// <param name="inputs">The inputs passed.</param>
    /// <param name="inputSize">The network's <c>InputSize</c>.</param>
    /// <param name="outputs">The outputs passed.</param>
    /// <param name="outputSize">The network's <c>OutputSize</c>.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="workspace">The workspace passed.</param>
    /// <param name="workspacePerSample">Floats of workspace per sample.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch is less than 1.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or two buffers overlap.</exception>
    public static void CheckForward(
        string method,
        ReadOnlySpan<float> parameters,
        int parameterCount,
        ReadOnlySpan<float> inputs,
        int inputSize,
        ReadOnlySpan<float> outputs,
        int outputSize,
        int batch,
        ReadOnlySpan<float> workspace,
        int workspacePerSample)
    {
        CheckBatch(method, batch);
        CheckExactLength(method, nameof(parameters), parameters.Length, parameterCount, "ParameterCount");
        CheckPerSampleLength(method, nameof(inputs), inputs.Length, batch, inputSize, "InputSize");
        CheckPerSampleLength(method, nameof(outputs), outputs.Length, batch, outputSize, "OutputSize");
        CheckPerSampleLength(method, nameof(workspace), workspace.Length, batch, workspacePerSample, "workspace per sample");

        ReadOnlySpan<float> usedInputs = inputs[..(batch * inputSize)];
        ReadOnlySpan<float> usedOutputs = outputs[..(batch * outputSize)];
        ReadOnlySpan<float> usedWorkspace = workspace[..(batch * workspacePerSample)];
        CheckDisjoint(method, nameof(outputs), usedOutputs, nameof(parameters), parameters);
        CheckDisjoint(method, nameof(outputs), usedOutputs, nameof(inputs), usedInputs);
        CheckDisjoint(method, nameof(outputs), usedOutputs, nameof(workspace), usedWorkspace);
        CheckDisjoint(method, nameof(workspace), usedWorkspace, nameof(parameters), parameters);
        CheckDisjoint(method, nameof(workspace), usedWorkspace, nameof(inputs), usedInputs);
    }

    /// <summary>Checks every argument of a target network's <c>Backward</c>: the batch, each span's length, and that
    /// the gradient buffers written overlap nothing else.</summary>
    /// <param name="method">The checked method, as <c>Network.Backward</c>.</param>
    /// <param name="parameters">The parameters passed.</param>
    /// <param name="parameterCount">The network's <c>ParameterCount</c>.</param>
    /// <param name="inputs">The inputs passed.</param>
    /// <param name="inputSize">The network's <c>InputSize</c>.</param>
    /// <param name="outputGradients">The output gradients passed.</param>
    /// <param name="outputSize">The network's <c>OutputSize</c>.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="workspace">The workspace passed.</param>
    /// <param name="workspacePerSample">Floats of workspace per sample.</param>
    /// <param name="parameterGradients">The parameter gradients passed.</param>
    /// <param name="inputGradients">The input gradients passed; empty means not wanted.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch is less than 1.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or two buffers overlap.</exception>
    public static void CheckBackward(
        string method,
        ReadOnlySpan<float> parameters,
        int parameterCount,
        ReadOnlySpan<float> inputs,
        int inputSize,
        ReadOnlySpan<float> outputGradients,
        int outputSize,
        int batch,
        ReadOnlySpan<float> workspace,
        int workspacePerSample,
        ReadOnlySpan<float> parameterGradients,
        ReadOnlySpan<float> inputGradients)
    {
        CheckBatch(method, batch);
        CheckExactLength(method, nameof(parameters), parameters.Length, parameterCount, "ParameterCount");
        CheckPerSampleLength(method, nameof(inputs), inputs.Length, batch, inputSize, "InputSize");
        CheckPerSampleLength(method, nameof(outputGradients), outputGradients.Length, batch, outputSize, "OutputSize");
        CheckPerSampleLength(method, nameof(workspace), workspace.Length, batch, workspacePerSample, "workspace per sample");
        CheckExactLength(method, nameof(parameterGradients), parameterGradients.Length, parameterCount, "ParameterCount");
        CheckEmptyOrPerSampleLength(method, nameof(inputGradients), inputGradients.Length, batch, inputSize, "InputSize");

        ReadOnlySpan<float> usedInputs = inputs[..(batch * inputSize)];
        ReadOnlySpan<float> usedOutputGradients = outputGradients[..(batch * outputSize)];
        ReadOnlySpan<float> usedWorkspace = workspace[..(batch * workspacePerSample)];
        CheckDisjoint(method, nameof(parameterGradients), parameterGradients, nameof(parameters), parameters);
        CheckDisjoint(method, nameof(parameterGradients), parameterGradients, nameof(inputs), usedInputs);
        CheckDisjoint(method, nameof(parameterGradients), parameterGradients, nameof(outputGradients), usedOutputGradients);
        CheckDisjoint(method, nameof(parameterGradients), parameterGradients, nameof(workspace), usedWorkspace);
        if (!inputGradients.IsEmpty)
        {
            ReadOnlySpan<float> usedInputGradients = inputGradients[..(batch * inputSize)];
            CheckDisjoint(method, nameof(inputGradients), usedInputGradients, nameof(parameterGradients), parameterGradients);
            CheckDisjoint(method, nameof(inputGradients), usedInputGradients, nameof(parameters), parameters);
            CheckDisjoint(method, nameof(inputGradients), usedInputGradients, nameof(inputs), usedInputs);
            CheckDisjoint(method, nameof(inputGradients), usedInputGradients, nameof(outputGradients), usedOutputGradients);
            CheckDisjoint(method, nameof(inputGradients), usedInputGradients, nameof(workspace), usedWorkspace);
        }
    }

    /// <summary>
    /// Checks the arguments every split pass of a hypernetwork's decoder takes (see <see cref="IDecoderKernels"/>):
    /// the number of rows and the lengths of the parameters, the inputs and the workspace.
    /// </summary>
    /// <param name="method">The checked method, as <c>Network.Decoder.Pass</c>.</param>
    /// <param name="parameters">The parameters passed.</param>
    /// <param name="parameterCount">The decoder's parameter count.</param>
    /// <param name="inputs">The inputs passed.</param>
    /// <param name="inputSize">The decoder's input width.</param>
    /// <param name="batch">The number of rows.</param>
    /// <param name="workspace">The workspace passed.</param>
    /// <param name="workspacePerSample">Floats of workspace per row.</param>
    /// <exception cref="ArgumentOutOfRangeException">The number of rows is less than 1.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void CheckDecoderPass(
        string method,
        ReadOnlySpan<float> parameters,
        int parameterCount,
        ReadOnlySpan<float> inputs,
        int inputSize,
        int batch,
        ReadOnlySpan<float> workspace,
        int workspacePerSample)
    {
        CheckBatch(method, batch);
        CheckExactLength(method, nameof(parameters), parameters.Length, parameterCount, "ParameterCount");
        CheckPerSampleLength(method, nameof(inputs), inputs.Length, batch, inputSize, "InputSize");
        CheckPerSampleLength(method, nameof(workspace), workspace.Length, batch, workspacePerSample, "workspace per sample");
    }

    /// <summary>Throws unless <c>0 ≤ start ≤ end ≤ limit</c>: a range of rows or inputs a split pass works on.</summary>
    /// <param name="method">The checked method.</param>
    /// <param name="what">What the range counts, for the message (as "rows" or "head inputs").</param>
    /// <param name="start">The first of the range.</param>
    /// <param name="end">One past the last of the range.</param>
    /// <param name="limit">How many there are.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie within [0, limit].</exception>
    public static void CheckRange(string method, string what, int start, int end, int limit)
    {
        if (start < 0 || start > end || end > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"{method}: the {what} [{start}, {end}) do not lie within [0, {limit}).");
        }
    }

    /// <summary>Throws when the span written, <paramref name="written"/>, shares memory with <paramref name="other"/>.</summary>
    /// <param name="method">The checked method, as <c>Network.Method</c>.</param>
    /// <param name="writtenName">The name of the span the method writes.</param>
    /// <param name="written">The part of it the method writes.</param>
    /// <param name="otherName">The name of the other span.</param>
    /// <param name="other">The part of it the method uses.</param>
    /// <exception cref="ArgumentException">The spans overlap.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckDisjoint(string method, string writtenName, ReadOnlySpan<float> written, string otherName, ReadOnlySpan<float> other)
    {
        if (written.Overlaps(other))
        {
            ThrowOverlap(method, writtenName, otherName);
        }
    }

    /// <summary>Throws when <paramref name="batch"/> is less than 1.</summary>
    /// <param name="method">The checked method, as <c>Network.Method</c>.</param>
    /// <param name="batch">The number of samples passed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is less than 1.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckBatch(string method, int batch)
    {
        if (batch < 1)
        {
            ThrowBatchNotPositive(method, batch);
        }
    }

    /// <summary>Throws when a span does not hold exactly <paramref name="expected"/> floats.</summary>
    /// <param name="method">The checked method, as <c>Network.Method</c>.</param>
    /// <param name="argument">The name of the span argument.</param>
    /// <param name="length">The length of the span passed.</param>
    /// <param name="expected">The length the contract requires.</param>
    /// <param name="expectedName">What <paramref name="expected"/> is, for example <c>ParameterCount</c>.</param>
    /// <exception cref="ArgumentException">The span's length is not <paramref name="expected"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckExactLength(string method, string argument, int length, int expected, string expectedName)
    {
        if (length != expected)
        {
            ThrowWrongLength(method, argument, length, expected, expectedName);
        }
    }

    /// <summary>Throws when a span holds fewer than <paramref name="batch"/> × <paramref name="perSample"/> floats.</summary>
    /// <param name="method">The checked method, as <c>Network.Method</c>.</param>
    /// <param name="argument">The name of the span argument.</param>
    /// <param name="length">The length of the span passed.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="perSample">The floats needed per sample.</param>
    /// <param name="perSampleName">What <paramref name="perSample"/> is, for example <c>InputSize</c>.</param>
    /// <exception cref="ArgumentException">The span is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckPerSampleLength(string method, string argument, int length, int batch, int perSample, string perSampleName)
    {
        if (length < (long)batch * perSample)
        {
            ThrowTooShort(method, argument, length, batch, perSample, perSampleName, allowEmpty: false);
        }
    }

    /// <summary>
    /// Throws when a span is neither empty nor at least <paramref name="batch"/> × <paramref name="perSample"/> floats
    /// long. An empty span means the caller does not want the result.
    /// </summary>
    /// <inheritdoc cref="CheckPerSampleLength(string, string, int, int, int, string)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckEmptyOrPerSampleLength(string method, string argument, int length, int batch, int perSample, string perSampleName)
    {
        if (length != 0 && length < (long)batch * perSample)
        {
            ThrowTooShort(method, argument, length, batch, perSample, perSampleName, allowEmpty: true);
        }
    }

    /// <summary>
    /// Returns <paramref name="batch"/> × <paramref name="perSample"/>, the workspace a batch needs, or throws when
    /// the batch is not positive or the size does not fit in an <see cref="int"/>.
    /// </summary>
    /// <param name="method">The checked method, as <c>Network.Method</c>.</param>
    /// <param name="batch">The number of samples.</param>
    /// <param name="perSample">The floats of workspace needed per sample.</param>
    /// <returns>The number of floats of workspace.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The batch is less than 1 or too large.</exception>
    public static int WorkspaceSize(string method, int batch, int perSample)
    {
        CheckBatch(method, batch);
        long size = (long)batch * perSample;
        if (size > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batch),
                batch,
                $"{method}: a batch of {batch} needs {size} floats of workspace ({perSample} per sample), more than an array can hold ({Array.MaxLength}).");
        }

        return (int)size;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap(string method, string writtenName, string otherName)
        => throw new ArgumentException(
            $"{method}: {writtenName} overlaps {otherName}; the buffers a network writes must not share memory with the ones it reads.",
            writtenName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBatchNotPositive(string method, int batch)
        => throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{method}: batch must be at least 1, but was {batch}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(string method, string argument, int length, int expected, string expectedName)
        => throw new ArgumentException(
            $"{method}: {argument} must hold exactly {expectedName} = {expected} floats, but holds {length}.",
            argument);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(string method, string argument, int length, int batch, int perSample, string perSampleName, bool allowEmpty)
    {
        long needed = (long)batch * perSample;
        string expectation = allowEmpty ? $"must be empty or hold at least {needed}" : $"must hold at least {needed}";
        throw new ArgumentException(
            $"{method}: {argument} {expectation} floats (batch {batch} × {perSampleName} {perSample}), but holds {length}.",
            argument);
    }
}
