using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using HyperDsl.Kernels;

namespace HyperDsl.Training;

/// <summary>
/// The losses of <see cref="Loss"/>: their value over a block of samples, and their gradient with respect to the
/// outputs. Vectorised, stable for any logits, allocation-free.
/// </summary>
public static class Losses
{
    /// <summary>
    /// The mean loss of <paramref name="samples"/> samples, and <paramref name="gradientScale"/>·∂(mean loss)/∂outputs
    /// written to <paramref name="outputGradients"/>.
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The outputs (logits for the cross-entropies), <c>[samples × outputSize]</c>.</param>
    /// <param name="targets">The targets, same shape.</param>
    /// <param name="samples">The number of samples, at least 1.</param>
    /// <param name="outputSize">Outputs per sample, at least 1.</param>
    /// <param name="outputGradients">Receives the scaled gradient, same shape.</param>
    /// <param name="gradientScale">A factor for the gradient, e.g. 1/tasks when the loss is averaged over tasks too.</param>
    /// <returns>The mean loss (per element for MSE and binary cross-entropy, per sample for softmax cross-entropy).</returns>
    /// <exception cref="ArgumentException">A span is shorter than samples × outputSize, or the loss is not defined.</exception>
    public static float Evaluate(
        Loss loss,
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int samples,
        int outputSize,
        Span<float> outputGradients,
        float gradientScale = 1f)
    {
        int count = CheckShapes(loss, outputs, targets, samples, outputSize);
        if (outputGradients.Length < count)
        {
            throw new ArgumentException($"outputGradients holds {outputGradients.Length} floats; {samples} × {outputSize} = {count} are needed.", nameof(outputGradients));
        }

        outputs = outputs[..count];
        targets = targets[..count];
        outputGradients = outputGradients[..count];
        switch (loss)
        {
            case Loss.MeanSquaredError:
            {
                TensorPrimitives.Subtract(outputs, targets, outputGradients);
                float sum = TensorPrimitives.SumOfSquares<float>(outputGradients);
                TensorPrimitives.Multiply(outputGradients, 2f * gradientScale / count, outputGradients);
                return sum / count;
            }

            case Loss.SoftmaxCrossEntropy:
            {
                double total = 0;
                for (int n = 0; n < samples; n++)
                {
                    ReadOnlySpan<float> logits = outputs.Slice(n * outputSize, outputSize);
                    ReadOnlySpan<float> probabilities = targets.Slice(n * outputSize, outputSize);
                    Span<float> gradient = outputGradients.Slice(n * outputSize, outputSize);

                    // log Σ exp(y) = m + log Σ exp(y − m): no overflow whatever the logits.
                    float max = TensorPrimitives.Max(logits);
                    TensorPrimitives.Subtract(logits, max, gradient);
                    TensorPrimitives.Exp(gradient, gradient);
                    float sumExp = TensorPrimitives.Sum<float>(gradient);
                    float mass = TensorPrimitives.Sum(probabilities);
                    float logSumExp = max + MathF.Log(sumExp);
                    total += (logSumExp * mass) - TensorPrimitives.Dot(probabilities, logits);

                    // ∂/∂y = softmax(y)·Σ y′ − y′.
                    TensorPrimitives.Multiply(gradient, mass / sumExp, gradient);
                    TensorPrimitives.Subtract(gradient, probabilities, gradient);
                    TensorPrimitives.Multiply(gradient, gradientScale / samples, gradient);
                }

                return (float)(total / samples);
            }

            case Loss.MaskedSoftmaxCrossEntropy:
            {
                double total = 0;
                for (int n = 0; n < samples; n++)
                {
                    total += MaskedSoftmaxCrossEntropy(outputs.Slice(n * outputSize, outputSize), targets.Slice(n * outputSize, outputSize), outputGradients.Slice(n * outputSize, outputSize), gradientScale / samples);
                }

                return (float)(total / samples);
            }

            default:
                return BinaryCrossEntropy(outputs, targets, outputGradients, gradientScale / count) / count;
        }
    }

    /// <summary>The mean loss of <paramref name="samples"/> samples, without a gradient.</summary>
    /// <inheritdoc cref="Evaluate(Loss, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float}, float)"/>
    public static float Value(Loss loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int samples, int outputSize)
    {
        int count = CheckShapes(loss, outputs, targets, samples, outputSize);
        outputs = outputs[..count];
        targets = targets[..count];
        switch (loss)
        {
            case Loss.MeanSquaredError:
            {
                float distance = TensorPrimitives.Distance(outputs, targets);
                return distance * distance / count;
            }

            case Loss.SoftmaxCrossEntropy:
            {
                double total = 0;
                for (int n = 0; n < samples; n++)
                {
                    ReadOnlySpan<float> logits = outputs.Slice(n * outputSize, outputSize);
                    ReadOnlySpan<float> probabilities = targets.Slice(n * outputSize, outputSize);
                    float max = TensorPrimitives.Max(logits);
                    double sumExp = 0;
                    foreach (float logit in logits)
                    {
                        sumExp += Math.Exp(logit - max);
                    }

                    total += ((max + Math.Log(sumExp)) * TensorPrimitives.Sum(probabilities)) - TensorPrimitives.Dot(probabilities, logits);
                }

                return (float)(total / samples);
            }

            case Loss.MaskedSoftmaxCrossEntropy:
            {
                double total = 0;
                for (int n = 0; n < samples; n++)
                {
                    total += MaskedSoftmaxCrossEntropy(outputs.Slice(n * outputSize, outputSize), targets.Slice(n * outputSize, outputSize), Span<float>.Empty, 0f);
                }

                return (float)(total / samples);
            }

            default:
                return BinaryCrossEntropy(outputs, targets, Span<float>.Empty, 0f) / count;
        }
    }

    /// <summary>
    /// One sample's −Σₖ∈M y′ₖ·log softmax_M(y)ₖ over the outputs M whose target is not NaN, and, unless
    /// <paramref name="gradient"/> is empty, scale·(softmax_M(y)·Σ y′ − y′) on M and 0 elsewhere into it.
    /// </summary>
    private static double MaskedSoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        // log Σ exp(y) = m + log Σ exp(y − m) over M, with m the largest logit of M: no overflow whatever the logits.
        float max = float.NegativeInfinity;
        for (int k = 0; k < logits.Length; k++)
        {
            max = float.IsNaN(targets[k]) ? max : Math.Max(max, logits[k]);
        }

        double sumExp = 0;
        double mass = 0;
        double dot = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            if (!float.IsNaN(targets[k]))
            {
                sumExp += Math.Exp(logits[k] - max);
                mass += targets[k];
                dot += targets[k] * (double)logits[k];
            }
        }

        for (int k = 0; k < gradient.Length; k++)
        {
            gradient[k] = float.IsNaN(targets[k]) ? 0f : (float)(((Math.Exp(logits[k] - max) / sumExp * mass) - targets[k]) * scale);
        }

        return ((max + Math.Log(sumExp)) * mass) - dot;
    }

    private static int CheckShapes(Loss loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int samples, int outputSize)
    {
        if (!LossCheck.IsDefined(loss))
        {
            throw new ArgumentException($"{(int)loss} is not a member of HyperDsl.Loss.", nameof(loss));
        }

        if (samples < 1 || outputSize < 1)
        {
            throw new ArgumentOutOfRangeException(samples < 1 ? nameof(samples) : nameof(outputSize), $"samples ({samples}) and outputSize ({outputSize}) must be at least 1.");
        }

        long count = (long)samples * outputSize;
        if (outputs.Length < count)
        {
            throw new ArgumentException($"outputs holds {outputs.Length} floats; {samples} × {outputSize} = {count} are needed.", nameof(outputs));
        }

        if (targets.Length < count)
        {
            throw new ArgumentException($"targets holds {targets.Length} floats; {samples} × {outputSize} = {count} are needed.", nameof(targets));
        }

        if (loss == Loss.MaskedSoftmaxCrossEntropy)
        {
            LossCheck.RequireMaskedTargets(null, nameof(targets), targets[..(int)count], outputSize);
        }

        return (int)count;
    }

    /// <summary>
    /// Σ [softplus(y) − y·y′] (the binary cross-entropy of logits), and, unless <paramref name="gradients"/> is
    /// empty, scale·(σ(y) − y′) into it.
    /// </summary>
    private static float BinaryCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradients, float scale)
    {
        int count = Vector<float>.Count;
        int length = logits.Length;
        bool withGradient = !gradients.IsEmpty;
        ref float y = ref MemoryMarshal.GetReference(logits);
        ref float t = ref MemoryMarshal.GetReference(targets);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        Vector<float> sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= length - count; i += count)
        {
            Vector<float> logit = VectorMemory.Load(ref y, i);
            Vector<float> target = VectorMemory.Load(ref t, i);
            sum += VectorMath.Softplus(logit) - (logit * target);
            if (withGradient)
            {
                VectorMemory.Store((VectorMath.Sigmoid(logit) - target) * scale, ref g, i);
            }
        }

        float total = Vector.Sum(sum);
        if (i < length)
        {
            // The tail on zero-padded copies; only its real lanes count.
            Span<float> buffer = stackalloc float[3 * count];
            logits[i..].CopyTo(buffer);
            targets[i..].CopyTo(buffer[count..]);
            ref float b = ref MemoryMarshal.GetReference(buffer);
            Vector<float> logit = VectorMemory.Load(ref b, 0);
            Vector<float> target = VectorMemory.Load(ref b, count);
            VectorMemory.Store(VectorMath.Softplus(logit) - (logit * target), ref b, 2 * count);
            total += TensorPrimitives.Sum<float>(buffer.Slice(2 * count, length - i));
            if (withGradient)
            {
                VectorMemory.Store((VectorMath.Sigmoid(logit) - target) * scale, ref b, 0);
                buffer[..(length - i)].CopyTo(gradients[i..]);
            }
        }

        return total;
    }
}
