namespace HyperDsl;

/// <summary>What a layer of a generated network computes.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer, y = f(x·W + b) (<see cref="DenseAttribute"/>).</summary>
    Dense = 0,

    /// <summary>A 2-D convolution over an image-shaped input (<see cref="Conv2DAttribute"/>).</summary>
    Conv2D = 1,

    /// <summary>The largest value of each window, per channel (<see cref="MaxPool2DAttribute"/>).</summary>
    MaxPool2D = 2,

    /// <summary>The mean of each window, per channel (<see cref="AvgPool2DAttribute"/>).</summary>
    AvgPool2D = 3,

    /// <summary>The mean of each channel over the whole image (<see cref="GlobalAvgPool2DAttribute"/>).</summary>
    GlobalAvgPool2D = 4,

    /// <summary>Normalisation of all features of a sample, with a learned scale and shift (<see cref="LayerNormAttribute"/>).</summary>
    LayerNorm = 5,

    /// <summary>
    /// A pre-LayerNorm transformer block across the tokens of a set — a task's support set, between a hypernetwork's
    /// encoder and the mean (<see cref="SetAttentionAttribute"/>).
    /// </summary>
    SetAttention = 6,

    /// <summary>
    /// The same block across the chunk tokens of a task in a chunked hypernetwork's decoder, between its body and its
    /// head, so that the chunks of W are generated jointly (<see cref="SelfAttentionAttribute"/>).
    /// </summary>
    SelfAttention = 7,
}
