using System;
using HyperDsl;

namespace ImageTasks;

/// <summary>
/// Each meta-batch holds every task once — task t classifies images of data set t — with a random mini-batch of its
/// training images, drawn with replacement.
/// </summary>
public sealed class ImageTaskSampler(ImageSet[] sets) : ITaskSampler
{
    public void Sample(Random random, Span<int> taskIds, Span<float> inputs, Span<float> targets, Span<float> conditions, int samplesPerTask)
    {
        for (int t = 0; t < taskIds.Length; t++)
        {
            int task = t % sets.Length;
            taskIds[t] = task;
            ImageSet set = sets[task];
            for (int s = 0; s < samplesPerTask; s++)
            {
                int row = (t * samplesPerTask) + s;
                set.Copy(random.Next(set.Count), inputs.Slice(row * ImageSet.Pixels, ImageSet.Pixels), targets.Slice(row * ImageSet.Classes, ImageSet.Classes));
            }
        }
    }
}
