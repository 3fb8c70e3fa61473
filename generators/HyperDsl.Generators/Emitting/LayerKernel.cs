using HyperDsl.Generators.Model;

namespace HyperDsl.Generators.Emitting;

/// <summary>What a dense layer's kernels are for, and so their signatures and what they do to the gradients.</summary>
internal enum DenseKernelRole
{
    /// <summary>
    /// A layer of a network: every input, with constant bounds, and the bias; parameter gradients are added to, as
    /// the Backward contract says. Target networks' layers and a decoder's body.
    /// </summary>
    Layer,

    /// <summary>
    /// A decoder's head, whose products two threads share: the inputs <c>[inputStart, inputEnd)</c>, bounds given at
    /// run time, and the bias (or its gradient) only when the caller passes <c>withBias</c>. The parameter gradient is
    /// written, not added to: the decoder's backward passes every row at once, so each entry has one writer, and the
    /// head's gradient — most of θ's — need not be cleared before each step.
    /// </summary>
    DecoderHead,
}

/// <summary>Writes one path's body of a layer kernel, the method named <c>name</c>; <c>path</c> describes the path for its comment.</summary>
internal delegate void KernelPathEmitter(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path);

/// <summary>
/// Writes one path of a dense kernel: the method <c>name</c> with <c>parameters</c>, as a network's layer or, when
/// <c>decoderHead</c>, as a decoder's head (<see cref="DenseKernelRole.DecoderHead"/>).
/// </summary>
internal delegate void DenseKernelPathEmitter(CodeWriter writer, LayerSlice layer, VectorTier tier, string name, string path, string parameters, bool decoderHead);

/// <summary>
/// One kernel of a layer as its kernel class declares it: what it computes (for comments), its method's name,
/// parameters and the arguments its dispatcher passes on, and the emitter of each path's body.
/// </summary>
internal sealed record LayerKernel(string Description, string MethodName, string Parameters, string Arguments, KernelPathEmitter EmitPath)
{
    /// <summary>
    /// A dense kernel: as a <see cref="DenseKernelRole.DecoderHead"/>, its signature gains the range and, where the kernel
    /// adds the bias or its gradient (<paramref name="withBias"/>), the flag that says whether this part owns it.
    /// </summary>
    public static LayerKernel Dense(LayerSlice layer, string what, string methodName, string parameters, string arguments, DenseKernelRole role, bool withBias, DenseKernelPathEmitter emit)
    {
        bool range = role == DenseKernelRole.DecoderHead;
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
    public static LayerKernel[] OfDenseLayer(LayerSlice layer, DenseKernelRole role) => new[]
    {
        DenseForwardKernelEmitter.Kernel(layer, role),
        DenseWeightGradientKernelEmitter.Kernel(layer, role),
        DenseInputGradientKernelEmitter.Kernel(layer, role),
    };
}
