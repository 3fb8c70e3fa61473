using System;

namespace HyperDsl;

/// <summary>
/// On a chunked hypernetwork: a transformer block across the chunk tokens of each task, between the decoder's body and
/// its head, so that the chunks of W are generated jointly rather than each on its own (HyperTransformer, Zhmoginov et
/// al. 2022). The tokens are the body's last layer's outputs for the task's chunks, [z ; chunk embedding k] through
/// the body; the block is PyTorch's <c>nn.TransformerEncoderLayer(d, heads, feedForward, dropout=0, norm_first=True)</c>
/// with ReLU, d being the body's last width. Several blocks run in source order, after every body layer.
/// </summary>
/// <remarks>
/// Parameters, learned directly in θ after everything else, are laid out and start as a
/// <see cref="SetAttentionAttribute"/> block's, and are saved in checkpoints under PyTorch's names
/// (<c>SelfAttention0.self_attn.in_proj_weight</c>, ...).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SelfAttentionAttribute : Attribute
{
    /// <summary>A block with <paramref name="heads"/> attention heads and a feed-forward network of <paramref name="feedForward"/> hidden units.</summary>
    /// <param name="heads">Attention heads, at least 1; the body's last width must be a multiple of them.</param>
    /// <param name="feedForward">The feed-forward network's hidden width, at least 1.</param>
    public SelfAttentionAttribute(int heads, int feedForward)
    {
        Heads = heads;
        FeedForward = feedForward;
    }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>The feed-forward network's hidden width.</summary>
    public int FeedForward { get; }

    /// <summary>The block's name, for summaries and checkpoints. Default <c>SelfAttention</c> and its position.</summary>
    public string? Name { get; set; }
}
