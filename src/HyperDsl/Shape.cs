namespace HyperDsl;

/// <summary>
/// The shape of one sample as a layer sees it: <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/> for
/// an image (stored channel by channel, row by row, as PyTorch's NCHW), or a vector of <see cref="Channels"/> features
/// (height and width 1, <see cref="IsImage"/> false).
/// </summary>
/// <param name="Channels">Channels of an image, or the features of a vector.</param>
/// <param name="Height">Rows of an image; 1 for a vector.</param>
/// <param name="Width">Columns of an image; 1 for a vector.</param>
/// <param name="IsImage">Whether the sample is an image (the layers after it are spatial until one flattens it).</param>
public readonly record struct Shape(int Channels, int Height, int Width, bool IsImage)
{
    /// <summary>A vector of <paramref name="features"/> floats.</summary>
    /// <param name="features">Its length.</param>
    /// <returns>The shape.</returns>
    public static Shape Vector(int features) => new(features, 1, 1, IsImage: false);

    /// <summary>An image of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</summary>
    /// <param name="channels">Its channels.</param>
    /// <param name="height">Its rows.</param>
    /// <param name="width">Its columns.</param>
    /// <returns>The shape.</returns>
    public static Shape Image(int channels, int height, int width) => new(channels, height, width, IsImage: true);

    /// <summary>Floats per sample: Channels × Height × Width.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => IsImage ? $"{Channels}×{Height}×{Width}" : Channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
