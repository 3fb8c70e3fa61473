using System.ComponentModel;

namespace HyperDsl.Kernels;

/// <summary>
/// The sizes of a pre-LayerNorm transformer block over a set of tokens (PyTorch's
/// <c>nn.TransformerEncoderLayer(norm_first=True)</c> with ReLU): x + MHA(LN₁(x)), then y + FFN(LN₂(y)) with
/// FFN(b) = ReLU(b·W₁ + b₁)·W₂ + b₂. Where each parameter and each kept activation lives.
/// </summary>
/// <remarks>
/// Parameters, in order: LN₁ γ, β <c>[d]</c>; the in-projection <c>[d × 3d]</c> input-major (columns: the queries,
/// the keys, the values) and its bias <c>[3d]</c>; the out-projection <c>[d × d]</c> and its bias <c>[d]</c>; LN₂ γ, β
/// <c>[d]</c>; W₁ <c>[d × f]</c>, b₁ <c>[f]</c>; W₂ <c>[f × d]</c>, b₂ <c>[d]</c>. Checkpoints and exports transpose the
/// projections to PyTorch's <c>[out × in]</c> at the boundary.
/// </remarks>
/// <param name="Features">d, the width of a token.</param>
/// <param name="Heads">Attention heads; d is a multiple of them.</param>
/// <param name="FeedForward">f, the feed-forward network's hidden width.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct AttentionShape(int Features, int Heads, int FeedForward)
{
    /// <summary>Width of one head, d / heads.</summary>
    public int HeadWidth => Features / Heads;

    /// <summary>Offset of LN₁'s γ.</summary>
    public int Norm1Scale => 0;

    /// <summary>Offset of LN₁'s β.</summary>
    public int Norm1Shift => Features;

    /// <summary>Offset of the in-projection's weights <c>[d × 3d]</c>, input-major (queries, keys, values).</summary>
    public int InProjectionWeights => 2 * Features;

    /// <summary>Offset of the in-projection's bias <c>[3d]</c>.</summary>
    public int InProjectionBias => InProjectionWeights + (3 * Features * Features);

    /// <summary>Offset of the out-projection's weights <c>[d × d]</c>, input-major.</summary>
    public int OutProjectionWeights => InProjectionBias + (3 * Features);

    /// <summary>Offset of the out-projection's bias <c>[d]</c>.</summary>
    public int OutProjectionBias => OutProjectionWeights + (Features * Features);

    /// <summary>Offset of LN₂'s γ.</summary>
    public int Norm2Scale => OutProjectionBias + Features;

    /// <summary>Offset of LN₂'s β.</summary>
    public int Norm2Shift => Norm2Scale + Features;

    /// <summary>Offset of the feed-forward network's W₁ <c>[d × f]</c>, input-major.</summary>
    public int Linear1Weights => Norm2Shift + Features;

    /// <summary>Offset of b₁ <c>[f]</c>.</summary>
    public int Linear1Bias => Linear1Weights + (Features * FeedForward);

    /// <summary>Offset of W₂ <c>[f × d]</c>, input-major.</summary>
    public int Linear2Weights => Linear1Bias + FeedForward;

    /// <summary>Offset of b₂ <c>[d]</c>.</summary>
    public int Linear2Bias => Linear2Weights + (FeedForward * Features);

    /// <summary>Floats of the block's parameters: 4d² + 2df + 9d + f.</summary>
    public int ParameterCount => Linear2Bias + Features;

    /// <summary>
    /// Floats the forward pass keeps for a set of <paramref name="tokens"/>, for the backward pass: x̂₁ and 1/σ₁, the
    /// queries, keys and values, every head's attention weights, the heads' outputs, y, x̂₂ and 1/σ₂, LN₂'s output and
    /// the hidden layer's ReLU output.
    /// </summary>
    /// <param name="tokens">Tokens in the set.</param>
    /// <returns>The number of floats.</returns>
    public int WorkspaceSize(int tokens)
        => checked((tokens * ((Features * 9) + 2 + FeedForward)) + (Heads * tokens * tokens));

    /// <summary>Floats of scratch the backward pass needs for a set of <paramref name="tokens"/>.</summary>
    /// <param name="tokens">Tokens in the set.</param>
    /// <returns>The number of floats.</returns>
    public int ScratchSize(int tokens)
        => checked((tokens * ((Features * 6) + FeedForward)) + tokens);

    // Offsets of the kept activations in the workspace of a set of n tokens.
    internal int Normalized1(int n) => 0;

    internal int InverseDeviation1(int n) => n * Features;

    internal int QueryKeyValue(int n) => InverseDeviation1(n) + n;

    internal int Weights(int n) => QueryKeyValue(n) + (n * 3 * Features);

    internal int HeadOutputs(int n) => Weights(n) + (Heads * n * n);

    internal int Residual(int n) => HeadOutputs(n) + (n * Features);

    internal int Normalized2(int n) => Residual(n) + (n * Features);

    internal int InverseDeviation2(int n) => Normalized2(n) + (n * Features);

    internal int Norm2Output(int n) => InverseDeviation2(n) + n;

    internal int Hidden(int n) => Norm2Output(n) + (n * Features);

    internal int Norm1Output(int n) => Hidden(n) + (n * FeedForward);
}
