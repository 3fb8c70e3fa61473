using System;
using HyperDsl;

namespace ImageTasks;

/// <summary>Test accuracy of the network a hypernetwork generates for one task.</summary>
public static class Evaluation
{
    private const int Block = 500;

    /// <summary>The share of <paramref name="test"/>'s images whose largest output is their label, with W = g(embedding of <paramref name="task"/>).</summary>
    public static double Accuracy(IHyperModel model, int task, ImageSet test)
    {
        ReadOnlySpan<float> embedding = model.TaskEmbeddings.Slice(task * model.EmbeddingSize, model.EmbeddingSize);
        float[] outputs = new float[Block * ImageSet.Classes];
        int correct = 0;
        for (int start = 0; start < test.Count; start += Block)
        {
            int count = Math.Min(Block, test.Count - start);
            model.Predict(embedding, ReadOnlySpan<float>.Empty, test.Images.AsSpan(start * ImageSet.Pixels, count * ImageSet.Pixels), count, outputs);
            correct += Correct(outputs.AsSpan(0, count * ImageSet.Classes), test.Labels.AsSpan(start, count));
        }

        return (double)correct / test.Count;
    }

    /// <summary>How many rows of <paramref name="outputs"/> have their largest score at the label.</summary>
    public static int Correct(ReadOnlySpan<float> outputs, ReadOnlySpan<byte> labels)
    {
        int correct = 0;
        for (int s = 0; s < labels.Length; s++)
        {
            ReadOnlySpan<float> scores = outputs.Slice(s * ImageSet.Classes, ImageSet.Classes);
            int best = 0;
            for (int c = 1; c < ImageSet.Classes; c++)
            {
                if (scores[c] > scores[best])
                {
                    best = c;
                }
            }

            correct += best == labels[s] ? 1 : 0;
        }

        return correct;
    }
}
