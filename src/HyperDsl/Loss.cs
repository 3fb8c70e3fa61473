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
}
