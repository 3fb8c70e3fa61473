using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>Which inputs of a dense layer a kernel sums over, and so what its signature is.</summary>
internal enum InputCoverage
{
    /// <summary>Every input, with constant bounds, and the bias: the kernels of target networks and of a decoder's body.</summary>
    All,

    /// <summary>
    /// The inputs <c>[inputStart, inputEnd)</c>, bounds given at run time, and the bias (or its gradient) only when the
    /// caller passes <c>withBias</c>: a decoder's head, whose products two threads share.
    /// </summary>
    Range,
}

/// <summary>Writes one path's body of a layer kernel, the method named <c>name</c>; <c>path</c> describes the path for its comment.</summary>
internal delegate void KernelPathEmitter(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path);

/// <summary>
/// Writes one path of a dense kernel: the method <c>name</c> with <c>parameters</c>, over every input or, when
/// <c>inputRange</c>, over the range its signature takes.
/// </summary>
internal delegate void DenseKernelPathEmitter(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool inputRange);

/// <summary>
/// One kernel of a layer as its kernel class declares it: what it computes (for comments), its method's name,
/// parameters and the arguments its dispatcher passes on, and the emitter of each path's body.
/// </summary>
internal sealed record LayerKernel(string Description, string MethodName, string Parameters, string Arguments, KernelPathEmitter EmitPath)
{
    /// <summary>
    /// A dense kernel: over <see cref="InputCoverage.Range"/>, its signature gains the range and, where the kernel adds
    /// the bias or its gradient (<paramref name="withBias"/>), the flag that says whether this part owns it.
    /// </summary>
    public static LayerKernel Dense(LayerSlice layer, string what, string methodName, string parameters, string arguments, InputCoverage coverage, bool withBias, DenseKernelPathEmitter emit)
    {
        bool range = coverage == InputCoverage.Range;
        string bias = withBias ? ", bool withBias" : string.Empty;
        string rangeParameters = range ? $"{parameters}, int inputStart, int inputEnd{bias}" : parameters;
        string rangeArguments = range ? $"{arguments}, inputStart, inputEnd{(withBias ? ", withBias" : string.Empty)}" : arguments;
        return new LayerKernel(
            $"{layer.Name} ({KernelText.Shape(layer)}, {layer.Activation}) {what}",
            methodName,
            rangeParameters,
            rangeArguments,
            (writer, slice, tier, name, path) => emit(writer, slice, tier, name, path, rangeParameters, range));
    }

    /// <summary>The three kernels of a dense layer: forward, parameter gradients, input gradients.</summary>
    public static LayerKernel[] OfDenseLayer(LayerSlice layer, InputCoverage coverage) => new[]
    {
        DenseForwardKernelEmitter.Kernel(layer, coverage),
        DenseWeightGradientKernelEmitter.Kernel(layer, coverage),
        DenseInputGradientKernelEmitter.Kernel(layer, coverage),
    };
}
