using System;
using System.IO;
using HyperDsl.Data;

namespace ImageTasks;

/// <summary>
/// A classification data set of 28×28 grey images in memory, as floats standardised with the training images' mean and
/// deviation (PyTorch's <c>Normalize</c>), with their labels.
/// </summary>
public sealed class ImageSet
{
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const int Classes = 10;

    private ImageSet(float[] images, byte[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>Every image, <c>[Count × 784]</c>.</summary>
    public float[] Images { get; }

    /// <summary>Every label, 0 to 9.</summary>
    public byte[] Labels { get; }

    public int Count => Labels.Length;

    /// <summary>
    /// The training and test sets in <paramref name="folder"/>, in the file names MNIST and Fashion-MNIST are
    /// distributed under (<c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>, <c>t10k-…</c>; the
    /// <c>.gz</c> may be left out).
    /// </summary>
    /// <param name="folder">The folder holding the four files.</param>
    /// <param name="standardise">
    /// Standardise the pixels with the training images' mean and deviation (the default); otherwise keep them in [0, 1]
    /// (pixel / 255), as torchvision's <c>ToTensor</c> alone gives them.
    /// </param>
    public static (ImageSet Train, ImageSet Test) Load(string folder, bool standardise = true)
    {
        IdxImages trainImages = Idx.ReadImages(Find(folder, "train-images-idx3-ubyte"));
        byte[] trainLabels = Idx.ReadLabels(Find(folder, "train-labels-idx1-ubyte"));
        IdxImages testImages = Idx.ReadImages(Find(folder, "t10k-images-idx3-ubyte"));
        byte[] testLabels = Idx.ReadLabels(Find(folder, "t10k-labels-idx1-ubyte"));
        (double mean, double deviation) = standardise ? Statistics(trainImages.Pixels) : (0.0, 1.0);
        return (Create(folder, "train", trainImages, trainLabels, mean, deviation), Create(folder, "t10k", testImages, testLabels, mean, deviation));
    }

    /// <summary>Copies image <paramref name="index"/> to <paramref name="image"/> and its one-hot label to <paramref name="target"/>.</summary>
    public void Copy(int index, Span<float> image, Span<float> target)
    {
        Images.AsSpan(index * Pixels, Pixels).CopyTo(image);
        target.Clear();
        target[Labels[index]] = 1f;
    }

    private static ImageSet Create(string folder, string part, IdxImages images, byte[] labels, double mean, double deviation)
    {
        if (images.Height != Side || images.Width != Side)
        {
            throw new InvalidDataException($"{folder}: the {part} images are {images.Height}×{images.Width}, not {Side}×{Side}.");
        }

        if (labels.Length != images.Count)
        {
            throw new InvalidDataException($"{folder}: {images.Count} {part} images but {labels.Length} labels.");
        }

        foreach (byte label in labels)
        {
            if (label >= Classes)
            {
                throw new InvalidDataException($"{folder}: a {part} label is {label}; labels are 0 to {Classes - 1}.");
            }
        }

        var floats = new float[images.Pixels.Length];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)(((images.Pixels[i] / 255.0) - mean) / deviation);
        }

        return new ImageSet(floats, labels);
    }

    private static (double Mean, double Deviation) Statistics(byte[] pixels)
    {
        double sum = 0;
        double squares = 0;
        foreach (byte pixel in pixels)
        {
            double value = pixel / 255.0;
            sum += value;
            squares += value * value;
        }

        double mean = sum / pixels.Length;
        return (mean, Math.Sqrt(Math.Max((squares / pixels.Length) - (mean * mean), 1e-12)));
    }

    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"{folder} holds neither {name}.gz nor {name}. --data expects a folder with mnist/ and fashion-mnist/, each holding "
            + "the four IDX files of its data set (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
            + "t10k-labels-idx1-ubyte; gzipped or not), as MNIST (LeCun, Cortes and Burges) and Fashion-MNIST (Zalando "
            + "Research, github.com/zalandoresearch/fashion-mnist) distribute them.",
            Path.Combine(folder, name + ".gz"));
    }
}
