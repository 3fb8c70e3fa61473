using System;

namespace HyperDsl;

/// <summary>
/// On a hypernetwork with a task encoder: a transformer block across each task's support set, between the encoder and
/// the mean, so that each pair's encoding can depend on the others (a set transformer) — PyTorch's
/// <c>nn.TransformerEncoderLayer(d, heads, feedForward, dropout=0, norm_first=True)</c>: x + MHA(LN₁(x)), then
/// y + W₂·ReLU(W₁·LN₂(y) + b₁) + b₂, with d the encoder's output width. Several blocks run in source order.
/// </summary>
/// <remarks>
/// Parameters, learned directly in θ after the encoder's: LN₁ γ and β, the in-projection of the queries, keys and
/// values with its bias, the out-projection with its bias, LN₂ γ and β, and the feed-forward network's two layers —
/// saved in checkpoints under PyTorch's names (<c>self_attn.in_proj_weight</c>, <c>linear1.weight</c>, ...). They start
/// as PyTorch starts the module. Support sets of different sizes attend each over their own pairs only.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SetAttentionAttribute : Attribute
{
    /// <summary>A block with <paramref name="heads"/> attention heads and a feed-forward network of <paramref name="feedForward"/> hidden units.</summary>
    /// <param name="heads">Attention heads, at least 1; the encoder's output width must be a multiple of them.</param>
    /// <param name="feedForward">The feed-forward network's hidden width, at least 1.</param>
    public SetAttentionAttribute(int heads, int feedForward)
    {
        Heads = heads;
        FeedForward = feedForward;
    }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>The feed-forward network's hidden width.</summary>
    public int FeedForward { get; }

    /// <summary>The block's name, for summaries and checkpoints. Default <c>SetAttention</c> and its position.</summary>
    public string? Name { get; set; }
}
