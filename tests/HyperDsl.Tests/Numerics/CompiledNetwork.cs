using System;
using System.Reflection;

namespace HyperDsl.Tests.Numerics;

public delegate void ForwardFunction(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int batch, Span<float> workspace);

public delegate void BackwardFunction(
    ReadOnlySpan<float> parameters,
    ReadOnlySpan<float> inputs,
    ReadOnlySpan<float> outputGradients,
    int batch,
    ReadOnlySpan<float> workspace,
    Span<float> parameterGradients,
    Span<float> inputGradients);

/// <summary>
/// A generated target network seen through its public contract only (constants and static methods found by name),
/// so that networks compiled with this project and networks compiled at run time are tested the same way.
/// </summary>
public sealed class CompiledNetwork
{
    private CompiledNetwork(Type type)
    {
        Type = type;
        InputSize = Constant(type, "InputSize");
        OutputSize = Constant(type, "OutputSize");
        ParameterCount = Constant(type, "ParameterCount");
        WorkspaceSize = type.GetMethod("WorkspaceSize", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Func<int, int>>();
        Forward = type.GetMethod("Forward", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<ForwardFunction>();
        Backward = type.GetMethod("Backward", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<BackwardFunction>();
    }

    public Type Type { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount { get; }

    public Func<int, int> WorkspaceSize { get; }

    public ForwardFunction Forward { get; }

    public BackwardFunction Backward { get; }

    public static CompiledNetwork From(Type type) => new(type);

    /// <summary>The value of a public constant of a generated class, including those of its nested Layout class.</summary>
    public static int Constant(Type type, string name)
        => (int)(type.GetField(name, BindingFlags.Public | BindingFlags.Static)
                 ?? throw new MissingFieldException(type.FullName, name)).GetRawConstantValue()!;
}
