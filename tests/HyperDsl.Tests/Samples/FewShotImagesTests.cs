using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FewShotImages;
using ImageTasks;
using Xunit;

namespace HyperDsl.Tests.Samples;

/// <summary>
/// The few-shot image sample's split and episodes: no meta-test base class reaches meta-training, rotations turn images
/// as stated, and episodes hold distinct classes and distinct images labelled by the episode's order.
/// </summary>
public sealed class FewShotImagesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hyperdsl-few-shot-").FullName;
    private readonly (ImageSet Train, ImageSet Test) mnist;
    private readonly (ImageSet Train, ImageSet Test) fashion;

    public FewShotImagesTests()
    {
        SyntheticImages.Write(folder, seed: 3);
        mnist = ImageSet.Load(Path.Combine(folder, "mnist"));
        fashion = ImageSet.Load(Path.Combine(folder, "fashion-mnist"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_split_is_by_base_class_with_four_rotations_each()
    {
        Assert.Equal(FewShotClasses.TrainingClassCount, FewShotClasses.Training.Count);
        Assert.Equal(FewShotClasses.TestClassCount, FewShotClasses.Test.Count);
        Assert.Equal(FewShotClasses.Training.Count, FewShotClasses.Training.Distinct().Count());
        Assert.Equal(FewShotClasses.Test.Count, FewShotClasses.Test.Distinct().Count());

        var trainingBases = FewShotClasses.Training.Select(c => (c.DataSet, c.Label)).ToHashSet();
        var testBases = FewShotClasses.Test.Select(c => (c.DataSet, c.Label)).ToHashSet();
        Assert.Empty(trainingBases.Intersect(testBases));
        Assert.Equal(14, trainingBases.Count);
        Assert.Equal(6, testBases.Count);
        Assert.All(testBases, b => Assert.InRange(b.Label, 7, 9));
        Assert.All(FewShotClasses.Training.Concat(FewShotClasses.Test).GroupBy(c => (c.DataSet, c.Label)), g => Assert.Equal([0, 1, 2, 3], g.Select(c => c.QuarterTurns).Order()));
    }

    [Fact]
    public void No_meta_test_base_class_reaches_meta_training()
    {
        // As the sample builds its banks: meta-training from the training files, meta-test from every file.
        var training = new ClassBank(FewShotClasses.Training, [[mnist.Train], [fashion.Train]]);
        var test = new ClassBank(FewShotClasses.Test, [[mnist.Train, mnist.Test], [fashion.Train, fashion.Test]]);
        for (int c = 0; c < training.Classes.Count; c++)
        {
            Assert.True(training.Count(c) > 0);
            for (int i = 0; i < training.Count(c); i++)
            {
                Assert.Equal(training.Classes[c].Label, training.SourceLabel(c, i));
                Assert.True(FewShotClasses.IsTrainingLabel(training.SourceLabel(c, i)));
            }
        }

        for (int c = 0; c < test.Classes.Count; c++)
        {
            for (int i = 0; i < test.Count(c); i++)
            {
                Assert.False(FewShotClasses.IsTrainingLabel(test.SourceLabel(c, i)));
            }
        }

        // Every episode of the meta-training pool holds meta-training classes only, and the sampler draws only from them.
        var sampler = new MetaTrainingSampler(training, episodeCount: 200, way: 5, seed: 1);
        for (int e = 0; e < sampler.EpisodeCount; e++)
        {
            Assert.Equal(5, sampler.Classes(e).ToArray().Distinct().Count());
        }

        // A bank with a meta-test class is refused outright.
        var leaky = new ClassBank([.. FewShotClasses.Training.Take(10), FewShotClasses.Test[0]], [[mnist.Train], [fashion.Train]]);
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new MetaTrainingSampler(leaky, 10, 5, 1));
        Assert.Contains("meta-test class", refused.Message);
    }

    [Fact]
    public void Meta_training_batches_label_each_image_by_its_classes_place_in_the_episode()
    {
        // Three unturned MNIST classes whose synthetic bands (rows 3–5, 7–9, 11–13) do not touch: the image tells its class.
        RotatedClass[] classes = [new(0, 0, 0), new(0, 2, 0), new(0, 4, 0)];
        var bank = new ClassBank(classes, [[mnist.Train], [fashion.Train]]);
        var sampler = new MetaTrainingSampler(bank, episodeCount: 6, way: 3, seed: 2);
        const int Tasks = 4;
        const int Samples = 9;
        int[] ids = new int[Tasks];
        float[] inputs = new float[Tasks * Samples * ImageSet.Pixels];
        float[] targets = new float[Tasks * Samples * 3];
        sampler.Sample(new Random(5), ids, inputs, targets, Span<float>.Empty, Samples);
        for (int t = 0; t < Tasks; t++)
        {
            for (int s = 0; s < Samples; s++)
            {
                int row = (t * Samples) + s;
                int label = Array.IndexOf(targets, 1f, row * 3, 3) - (row * 3);
                Assert.Equal(s % 3, label);
                Assert.Equal(1f, targets.AsSpan(row * 3, 3).ToArray().Sum());

                // The synthetic class c is a bright band over rows 2c + 3 to 2c + 5.
                int band = (2 * classes[sampler.Classes(ids[t])[label]].Label) + 4;
                Assert.InRange(BrightestRow(inputs.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels)), band - 1, band + 1);
            }
        }
    }

    [Fact]
    public void Rotations_turn_counter_clockwise_and_four_make_a_full_turn()
    {
        float[] image = Enumerable.Range(0, ImageSet.Pixels).Select(i => (float)i).ToArray();
        float[] turned = new float[ImageSet.Pixels];
        ClassBank.Rotate(image, 1, turned);

        // A quarter turn counter-clockwise carries the top-right corner to the top-left, the top-left to the bottom-left.
        Assert.Equal(image[ImageSet.Side - 1], turned[0]);
        Assert.Equal(image[0], turned[(ImageSet.Side - 1) * ImageSet.Side]);

        float[] twice = new float[ImageSet.Pixels];
        ClassBank.Rotate(turned, 1, twice);
        float[] half = new float[ImageSet.Pixels];
        ClassBank.Rotate(image, 2, half);
        Assert.Equal(half, twice);

        float[] thrice = new float[ImageSet.Pixels];
        ClassBank.Rotate(twice, 1, thrice);
        float[] threeQuarters = new float[ImageSet.Pixels];
        ClassBank.Rotate(image, 3, threeQuarters);
        Assert.Equal(threeQuarters, thrice);

        float[] full = new float[ImageSet.Pixels];
        ClassBank.Rotate(thrice, 1, full);
        Assert.Equal(image, full);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Episodes_hold_distinct_classes_and_images_labelled_by_their_order(int shots)
    {
        var test = new ClassBank(FewShotClasses.Test, [[mnist.Train, mnist.Test], [fashion.Train, fashion.Test]]);
        var episode = new Episode(5, maxShots: 5);
        var random = new Random(7);
        for (int draw = 0; draw < 20; draw++)
        {
            episode.Draw(test, random, shots);
            Assert.Equal(5, episode.ClassIds.Distinct().Count());
            Assert.Equal(5 * shots, episode.SupportCount);
            Assert.Equal(Enumerable.Range(0, 5 * shots).Select(r => r % 5), episode.SupportLabels.Take(episode.SupportCount));
            Assert.Equal(Enumerable.Range(0, episode.QueryCount).Select(r => r % 5), episode.QueryLabels);
            for (int row = 0; row < episode.SupportCount; row++)
            {
                Assert.Equal(1f, episode.SupportTargets[(row * 5) + episode.SupportLabels[row]]);
                Assert.Equal(1f, episode.SupportTargets.AsSpan(row * 5, 5).ToArray().Sum());
            }

            // No image appears twice in an episode: support and queries are drawn without replacement per class.
            var seen = new HashSet<string>();
            for (int row = 0; row < episode.SupportCount; row++)
            {
                Assert.True(seen.Add(Key(episode.SupportImages.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels))));
            }

            for (int row = 0; row < episode.QueryCount; row++)
            {
                Assert.True(seen.Add(Key(episode.QueryImages.AsSpan(row * ImageSet.Pixels, ImageSet.Pixels))));
            }
        }

        // Scores that put each query's label first score 100 %; shifted by one label, 0 %.
        float[] scores = new float[episode.QueryCount * 5];
        for (int q = 0; q < episode.QueryCount; q++)
        {
            scores[(q * 5) + episode.QueryLabels[q]] = 1f;
        }

        Assert.Equal(1.0, episode.Accuracy(scores));
        Array.Clear(scores);
        for (int q = 0; q < episode.QueryCount; q++)
        {
            scores[(q * 5) + ((episode.QueryLabels[q] + 1) % 5)] = 1f;
        }

        Assert.Equal(0.0, episode.Accuracy(scores));
    }

    private static int BrightestRow(ReadOnlySpan<float> image)
    {
        int best = 0;
        float bestSum = float.NegativeInfinity;
        for (int y = 0; y < ImageSet.Side; y++)
        {
            float sum = 0;
            foreach (float pixel in image.Slice(y * ImageSet.Side, ImageSet.Side))
            {
                sum += pixel;
            }

            if (sum > bestSum)
            {
                (best, bestSum) = (y, sum);
            }
        }

        return best;
    }

    private static string Key(ReadOnlySpan<float> image) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(image));
}
