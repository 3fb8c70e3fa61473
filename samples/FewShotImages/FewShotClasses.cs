using System;
using System.Collections.Generic;
using ImageTasks;

namespace FewShotImages;

/// <summary>A class of the benchmark: a base class of one data set (a digit or a garment) turned by a multiple of 90°.</summary>
/// <param name="DataSet">0 for MNIST, 1 for Fashion-MNIST.</param>
/// <param name="Label">The base class, 0 to 9.</param>
/// <param name="QuarterTurns">The rotation, counter-clockwise, in quarter turns (0 to 3).</param>
public readonly record struct RotatedClass(int DataSet, int Label, int QuarterTurns)
{
    public override string ToString() => $"{(DataSet == 0 ? "digit" : "garment")} {Label} at {90 * QuarterTurns}°";
}

/// <summary>
/// The split by base class, as Omniglot's few-shot benchmarks split by character: MNIST digits 0–6 and Fashion-MNIST
/// classes 0–6 for meta-training, the other six base classes for meta-test, each base class in four rotations counting
/// as four classes — 56 meta-training classes and 24 meta-test classes.
/// </summary>
public static class FewShotClasses
{
    public const int TrainingClassCount = 56;
    public const int TestClassCount = 24;

    /// <summary>Base classes 0 to this − 1 of each data set are for meta-training; the rest are for meta-test.</summary>
    public const int TrainingLabels = 7;

    public static IReadOnlyList<RotatedClass> Training { get; } = Classes(training: true);

    public static IReadOnlyList<RotatedClass> Test { get; } = Classes(training: false);

    public static bool IsTrainingLabel(int label) => label < TrainingLabels;

    private static RotatedClass[] Classes(bool training)
    {
        var classes = new List<RotatedClass>();
        for (int dataSet = 0; dataSet < 2; dataSet++)
        {
            for (int label = 0; label < ImageSet.Classes; label++)
            {
                if (IsTrainingLabel(label) != training)
                {
                    continue;
                }

                for (int quarter = 0; quarter < 4; quarter++)
                {
                    classes.Add(new RotatedClass(dataSet, label, quarter));
                }
            }
        }

        return classes.ToArray();
    }
}

/// <summary>
/// The images of a list of classes: for each class the images of its base class, served turned by its rotation. The
/// meta-training bank holds the training files' images of the training classes; the meta-test bank holds every image
/// (training and test files) of the test classes, which meta-training never sees in either file.
/// </summary>
public sealed class ClassBank
{
    private readonly ImageSet[] sources;
    private readonly int[][] members;

    /// <param name="classes">The classes, in the order their indices take.</param>
    /// <param name="parts">For each data set (MNIST, Fashion-MNIST), the files whose images the bank draws from.</param>
    public ClassBank(IReadOnlyList<RotatedClass> classes, IReadOnlyList<ImageSet>[] parts)
    {
        Classes = classes;
        var sourceList = new List<ImageSet>();
        var sourceOf = new Dictionary<ImageSet, int>();
        foreach (IReadOnlyList<ImageSet> part in parts)
        {
            foreach (ImageSet set in part)
            {
                if (sourceOf.TryAdd(set, sourceList.Count))
                {
                    sourceList.Add(set);
                }
            }
        }

        sources = sourceList.ToArray();
        members = new int[classes.Count][];
        for (int c = 0; c < classes.Count; c++)
        {
            // An image is a (source, index) pair packed into one int: the source in the top bits.
            var list = new List<int>();
            foreach (ImageSet set in parts[classes[c].DataSet])
            {
                int source = sourceOf[set];
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.Labels[i] == classes[c].Label)
                    {
                        list.Add((source << 24) | i);
                    }
                }
            }

            members[c] = list.ToArray();
        }
    }

    public IReadOnlyList<RotatedClass> Classes { get; }

    /// <summary>The images class <paramref name="c"/> has.</summary>
    public int Count(int c) => members[c].Length;

    /// <summary>The fewest images any class has.</summary>
    public int SmallestClass
    {
        get
        {
            int smallest = int.MaxValue;
            foreach (int[] list in members)
            {
                smallest = Math.Min(smallest, list.Length);
            }

            return smallest;
        }
    }

    /// <summary>The label the file gives image <paramref name="index"/> of class <paramref name="c"/> (what the split is checked against).</summary>
    public int SourceLabel(int c, int index)
    {
        int packed = members[c][index];
        return sources[packed >> 24].Labels[packed & 0xFFFFFF];
    }

    /// <summary>Writes image <paramref name="index"/> of class <paramref name="c"/>, turned by the class's rotation.</summary>
    public void Copy(int c, int index, Span<float> image)
    {
        int packed = members[c][index];
        ReadOnlySpan<float> source = sources[packed >> 24].Images.AsSpan((packed & 0xFFFFFF) * ImageSet.Pixels, ImageSet.Pixels);
        Rotate(source, Classes[c].QuarterTurns, image);
    }

    /// <summary>Turns a 28×28 image counter-clockwise by <paramref name="quarterTurns"/> quarter turns.</summary>
    public static void Rotate(ReadOnlySpan<float> source, int quarterTurns, Span<float> destination)
    {
        const int Side = ImageSet.Side;
        const int Last = Side - 1;
        if (quarterTurns == 0)
        {
            source.CopyTo(destination);
            return;
        }

        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                // destination (y, x) reads the source pixel that a counter-clockwise turn carries there.
                int from = quarterTurns switch
                {
                    1 => (x * Side) + (Last - y),
                    2 => ((Last - y) * Side) + (Last - x),
                    _ => ((Last - x) * Side) + y,
                };
                destination[(y * Side) + x] = source[from];
            }
        }
    }
}
