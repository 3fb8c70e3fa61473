namespace HyperDsl;

/// <summary>The loss between a target network's outputs y and the targets y′, with PyTorch's definitions.</summary>
public enum Loss
{
    /// <summary>Mean over every output element of (y − y′)², without a ½: PyTorch's <c>mse_loss</c>.</summary>
    MeanSquaredError = 0,

    /// <summary>
    /// −Σ y′ₖ·log softmax(y)ₖ per sample, mean over samples. The outputs are logits; the targets are class probabilities
    /// (one-hot for labels). PyTorch's <c>cross_entropy</c> with probability targets.
    /// </summary>
    SoftmaxCrossEntropy = 1,

    /// <summary>
    /// −[y′·log σ(y) + (1 − y′)·log(1 − σ(y))] per element, mean over elements, computed from the logits y without
    /// overflow: PyTorch's <c>binary_cross_entropy_with_logits</c>.
    /// </summary>
    BinaryCrossEntropy = 2,

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy"/> over only the outputs whose target is not NaN: −Σₖ∈M y′ₖ·log softmax_M(y)ₖ per
    /// sample, where M is the sample's outputs with a target, mean over samples; the other outputs take no part in the
    /// softmax and get no gradient. This is a multi-head network's loss, where each task is scored on its own head (the
    /// task-incremental heads of continual learning): PyTorch's <c>cross_entropy</c> of the head's slice of the logits.
    /// Each sample needs at least one output with a target; targets are otherwise finite.
    /// </summary>
    MaskedSoftmaxCrossEntropy = 3,
}
