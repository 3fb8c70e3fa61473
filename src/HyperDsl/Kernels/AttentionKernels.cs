using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;

namespace HyperDsl.Kernels;

/// <summary>
/// A pre-LayerNorm transformer block over one set of tokens, as <see cref="AttentionShape"/> lays it out: forward and
/// backward, with the softmax taken after subtracting each row's maximum, so that it is exact for any logits, and every
/// sum in a fixed order, so that results repeat bit for bit. Support for generated code; not intended to be called
/// directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AttentionKernels
{
    /// <summary>y = block(x) for a set of <paramref name="tokens"/> tokens.</summary>
    /// <param name="shape">The block's sizes.</param>
    /// <param name="parameters">The block's parameters, <see cref="AttentionShape.ParameterCount"/> floats.</param>
    /// <param name="input">x, <c>[tokens × d]</c>.</param>
    /// <param name="output">Receives y, <c>[tokens × d]</c>; may not overlap the input.</param>
    /// <param name="tokens">Tokens in the set, at least 1.</param>
    /// <param name="workspace">At least <see cref="AttentionShape.WorkspaceSize"/> floats; receives what the backward pass needs.</param>
    public static void Forward(AttentionShape shape, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int tokens, Span<float> workspace)
    {
        int d = shape.Features;
        int n = tokens;
        Span<float> normalized1 = workspace.Slice(shape.Normalized1(n), n * d);
        Span<float> inverse1 = workspace.Slice(shape.InverseDeviation1(n), n);
        Span<float> a = workspace.Slice(shape.Norm1Output(n), n * d);
        Span<float> qkv = workspace.Slice(shape.QueryKeyValue(n), n * 3 * d);
        Span<float> weights = workspace.Slice(shape.Weights(n), shape.Heads * n * n);
        Span<float> heads = workspace.Slice(shape.HeadOutputs(n), n * d);
        Span<float> residual = workspace.Slice(shape.Residual(n), n * d);
        Span<float> normalized2 = workspace.Slice(shape.Normalized2(n), n * d);
        Span<float> inverse2 = workspace.Slice(shape.InverseDeviation2(n), n);
        Span<float> b = workspace.Slice(shape.Norm2Output(n), n * d);
        Span<float> hidden = workspace.Slice(shape.Hidden(n), n * shape.FeedForward);

        NormalizationKernels.LayerNorm(input, parameters.Slice(shape.Norm1Scale, d), parameters.Slice(shape.Norm1Shift, d), normalized1, inverse1, a, n, d);
        Affine(a, parameters.Slice(shape.InProjectionWeights, 3 * d * d), parameters.Slice(shape.InProjectionBias, 3 * d), qkv, n, d, 3 * d);
        Attend(shape, qkv, weights, heads, n);

        // y = x + heads·W_o + b_o.
        Affine(heads, parameters.Slice(shape.OutProjectionWeights, d * d), parameters.Slice(shape.OutProjectionBias, d), residual, n, d, d);
        TensorPrimitives.Add(residual, input[..(n * d)], residual);

        NormalizationKernels.LayerNorm(residual, parameters.Slice(shape.Norm2Scale, d), parameters.Slice(shape.Norm2Shift, d), normalized2, inverse2, b, n, d);
        Affine(b, parameters.Slice(shape.Linear1Weights, d * shape.FeedForward), parameters.Slice(shape.Linear1Bias, shape.FeedForward), hidden, n, d, shape.FeedForward);
        ActivationKernels.Relu(hidden, hidden);
        Affine(hidden, parameters.Slice(shape.Linear2Weights, shape.FeedForward * d), parameters.Slice(shape.Linear2Bias, d), output, n, shape.FeedForward, d);
        TensorPrimitives.Add(output[..(n * d)], residual, output);
    }

    /// <summary>Adds ∂L/∂(parameters) and writes ∂L/∂x, for the set the workspace was filled for.</summary>
    /// <param name="shape">The block's sizes.</param>
    /// <param name="parameters">The block's parameters.</param>
    /// <param name="outputGradient">∂L/∂y, <c>[tokens × d]</c>.</param>
    /// <param name="tokens">Tokens in the set.</param>
    /// <param name="workspace">The workspace Forward filled.</param>
    /// <param name="parameterGradients">∂L/∂(parameters), added to.</param>
    /// <param name="inputGradient">Receives ∂L/∂x, <c>[tokens × d]</c>.</param>
    /// <param name="scratch">At least <see cref="AttentionShape.ScratchSize"/> floats.</param>
    public static void Backward(
        AttentionShape shape,
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> outputGradient,
        int tokens,
        ReadOnlySpan<float> workspace,
        Span<float> parameterGradients,
        Span<float> inputGradient,
        Span<float> scratch)
    {
        int d = shape.Features;
        int f = shape.FeedForward;
        int n = tokens;
        ReadOnlySpan<float> normalized1 = workspace.Slice(shape.Normalized1(n), n * d);
        ReadOnlySpan<float> inverse1 = workspace.Slice(shape.InverseDeviation1(n), n);
        ReadOnlySpan<float> a = workspace.Slice(shape.Norm1Output(n), n * d);
        ReadOnlySpan<float> qkv = workspace.Slice(shape.QueryKeyValue(n), n * 3 * d);
        ReadOnlySpan<float> weights = workspace.Slice(shape.Weights(n), shape.Heads * n * n);
        ReadOnlySpan<float> heads = workspace.Slice(shape.HeadOutputs(n), n * d);
        ReadOnlySpan<float> normalized2 = workspace.Slice(shape.Normalized2(n), n * d);
        ReadOnlySpan<float> inverse2 = workspace.Slice(shape.InverseDeviation2(n), n);
        ReadOnlySpan<float> b = workspace.Slice(shape.Norm2Output(n), n * d);
        ReadOnlySpan<float> hidden = workspace.Slice(shape.Hidden(n), n * f);

        Span<float> residualGradient = scratch[..(n * d)];
        Span<float> rowGradient = scratch.Slice(n * d, n * d);
        Span<float> hiddenGradient = scratch.Slice(2 * n * d, n * f);
        Span<float> qkvGradient = scratch.Slice((2 * n * d) + (n * f), 3 * n * d);
        Span<float> probabilities = scratch.Slice((5 * n * d) + (n * f), n);
        Span<float> headGradient = scratch.Slice((5 * n * d) + (n * f) + n, n * d);

        // The feed-forward network: dy flows to y directly and through FFN(LN₂(y)).
        outputGradient[..(n * d)].CopyTo(residualGradient);
        AffineBackward(hidden, parameters.Slice(shape.Linear2Weights, f * d), outputGradient, parameterGradients.Slice(shape.Linear2Weights, f * d), parameterGradients.Slice(shape.Linear2Bias, d), hiddenGradient, n, f, d);
        ActivationKernels.ReluBackward(hidden, hiddenGradient, hiddenGradient);
        AffineBackward(b, parameters.Slice(shape.Linear1Weights, d * f), hiddenGradient, parameterGradients.Slice(shape.Linear1Weights, d * f), parameterGradients.Slice(shape.Linear1Bias, f), rowGradient, n, d, f);
        NormalizationKernels.LayerNormBackward(normalized2, inverse2, parameters.Slice(shape.Norm2Scale, d), rowGradient, parameterGradients.Slice(shape.Norm2Scale, d), parameterGradients.Slice(shape.Norm2Shift, d), headGradient, n, d);
        TensorPrimitives.Add(residualGradient, headGradient, residualGradient);

        // The attention: dy' flows to x directly and through the out-projection, the heads and the in-projection.
        AffineBackward(heads, parameters.Slice(shape.OutProjectionWeights, d * d), residualGradient, parameterGradients.Slice(shape.OutProjectionWeights, d * d), parameterGradients.Slice(shape.OutProjectionBias, d), headGradient, n, d, d);
        AttendBackward(shape, qkv, weights, headGradient, qkvGradient, probabilities, n);
        AffineBackward(a, parameters.Slice(shape.InProjectionWeights, 3 * d * d), qkvGradient, parameterGradients.Slice(shape.InProjectionWeights, 3 * d * d), parameterGradients.Slice(shape.InProjectionBias, 3 * d), rowGradient, n, d, 3 * d);
        NormalizationKernels.LayerNormBackward(normalized1, inverse1, parameters.Slice(shape.Norm1Scale, d), rowGradient, parameterGradients.Slice(shape.Norm1Scale, d), parameterGradients.Slice(shape.Norm1Shift, d), inputGradient, n, d);
        TensorPrimitives.Add(inputGradient[..(n * d)], residualGradient, inputGradient);
    }

    /// <summary>
    /// Every head's attention: weights P = softmax(Q Kᵀ / √(d/heads)) row by row, kept in <paramref name="weights"/>
    /// <c>[heads × n × n]</c>, and each head's output P V into its columns of <paramref name="heads"/>.
    /// </summary>
    private static void Attend(AttentionShape shape, ReadOnlySpan<float> qkv, Span<float> weights, Span<float> heads, int n)
    {
        int d = shape.Features;
        int width = shape.HeadWidth;
        float scale = 1f / MathF.Sqrt(width);
        heads[..(n * d)].Clear();
        for (int h = 0; h < shape.Heads; h++)
        {
            int column = h * width;
            for (int i = 0; i < n; i++)
            {
                Span<float> row = weights.Slice(((h * n) + i) * n, n);
                ReadOnlySpan<float> query = qkv.Slice((i * 3 * d) + column, width);
                for (int j = 0; j < n; j++)
                {
                    row[j] = TensorPrimitives.Dot(query, qkv.Slice((j * 3 * d) + d + column, width)) * scale;
                }

                // Stable for any logits: the largest becomes 0 before the exponential.
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, row);
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
                Span<float> output = heads.Slice((i * d) + column, width);
                for (int j = 0; j < n; j++)
                {
                    TensorPrimitives.MultiplyAdd(qkv.Slice((j * 3 * d) + (2 * d) + column, width), row[j], output, output);
                }
            }
        }
    }

    /// <summary>
    /// The backward pass of <see cref="Attend"/>: from ∂L/∂(heads' outputs), ∂L/∂V = Pᵀ dO, ∂L/∂P = dO Vᵀ, the softmax's
    /// ∂L/∂S = P ⊙ (dP − rowsum(dP ⊙ P)), then ∂L/∂Q = dS K and ∂L/∂K = dSᵀ Q, each scaled by 1/√(d/heads).
    /// </summary>
    private static void AttendBackward(AttentionShape shape, ReadOnlySpan<float> qkv, ReadOnlySpan<float> weights, ReadOnlySpan<float> headGradient, Span<float> qkvGradient, Span<float> scoreGradient, int n)
    {
        int d = shape.Features;
        int width = shape.HeadWidth;
        float scale = 1f / MathF.Sqrt(width);
        qkvGradient[..(n * 3 * d)].Clear();
        for (int h = 0; h < shape.Heads; h++)
        {
            int column = h * width;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> p = weights.Slice(((h * n) + i) * n, n);
                ReadOnlySpan<float> dOutput = headGradient.Slice((i * d) + column, width);
                for (int j = 0; j < n; j++)
                {
                    // dV_j += P_ij dO_i; dP_ij = dO_i · V_j.
                    TensorPrimitives.MultiplyAdd(dOutput, p[j], qkvGradient.Slice((j * 3 * d) + (2 * d) + column, width), qkvGradient.Slice((j * 3 * d) + (2 * d) + column, width));
                    scoreGradient[j] = TensorPrimitives.Dot(dOutput, qkv.Slice((j * 3 * d) + (2 * d) + column, width));
                }

                float weighted = TensorPrimitives.Dot(scoreGradient[..n], p);
                TensorPrimitives.Subtract(scoreGradient[..n], weighted, scoreGradient[..n]);
                TensorPrimitives.Multiply(scoreGradient[..n], p, scoreGradient[..n]);
                TensorPrimitives.Multiply(scoreGradient[..n], scale, scoreGradient[..n]);
                Span<float> dQuery = qkvGradient.Slice((i * 3 * d) + column, width);
                ReadOnlySpan<float> query = qkv.Slice((i * 3 * d) + column, width);
                for (int j = 0; j < n; j++)
                {
                    // dQ_i += dS_ij K_j; dK_j += dS_ij Q_i.
                    TensorPrimitives.MultiplyAdd(qkv.Slice((j * 3 * d) + d + column, width), scoreGradient[j], dQuery, dQuery);
                    Span<float> dKey = qkvGradient.Slice((j * 3 * d) + d + column, width);
                    TensorPrimitives.MultiplyAdd(query, scoreGradient[j], dKey, dKey);
                }
            }
        }
    }

    /// <summary>
    /// output = input·W + bias for <paramref name="rows"/> rows; W <c>[inputs × outputs]</c> input-major. Four rows at a
    /// time share each vector of W, so that a weight is loaded once per four rows rather than once per row.
    /// </summary>
    private static void Affine(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output, int rows, int inputs, int outputs)
    {
        int width = Vector<float>.Count;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            int c = 0;
            for (; c + width <= outputs; c += width)
            {
                Vector<float> b = new(bias.Slice(c, width));
                Vector<float> y0 = b, y1 = b, y2 = b, y3 = b;
                for (int k = 0; k < inputs; k++)
                {
                    Vector<float> w = new(weights.Slice((k * outputs) + c, width));
                    y0 += w * input[(r * inputs) + k];
                    y1 += w * input[((r + 1) * inputs) + k];
                    y2 += w * input[((r + 2) * inputs) + k];
                    y3 += w * input[((r + 3) * inputs) + k];
                }

                y0.CopyTo(output.Slice((r * outputs) + c, width));
                y1.CopyTo(output.Slice(((r + 1) * outputs) + c, width));
                y2.CopyTo(output.Slice(((r + 2) * outputs) + c, width));
                y3.CopyTo(output.Slice(((r + 3) * outputs) + c, width));
            }

            for (; c < outputs; c++)
            {
                for (int q = r; q < r + 4; q++)
                {
                    output[(q * outputs) + c] = ScalarColumn(input.Slice(q * inputs, inputs), weights, c, outputs) + bias[c];
                }
            }
        }

        for (; r < rows; r++)
        {
            int c = 0;
            for (; c + width <= outputs; c += width)
            {
                Vector<float> y = new(bias.Slice(c, width));
                for (int k = 0; k < inputs; k++)
                {
                    y += new Vector<float>(weights.Slice((k * outputs) + c, width)) * input[(r * inputs) + k];
                }

                y.CopyTo(output.Slice((r * outputs) + c, width));
            }

            for (; c < outputs; c++)
            {
                output[(r * outputs) + c] = ScalarColumn(input.Slice(r * inputs, inputs), weights, c, outputs) + bias[c];
            }
        }
    }

    /// <summary>Σₖ x[k]·W[k, column], in k order.</summary>
    private static float ScalarColumn(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, int column, int outputs)
    {
        float sum = 0f;
        for (int k = 0; k < x.Length; k++)
        {
            sum += x[k] * weights[(k * outputs) + column];
        }

        return sum;
    }

    /// <summary>
    /// The backward pass of <see cref="Affine"/>: adds ∂L/∂W = inputᵀ·dY and ∂L/∂bias = Σ dY, and writes
    /// ∂L/∂input = dY·Wᵀ. Each weight row's gradient is summed over the rows in registers, then added once.
    /// </summary>
    private static void AffineBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient, int rows, int inputs, int outputs)
    {
        int width = Vector<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(biasGradient, outputGradient.Slice(r * outputs, outputs), biasGradient);
        }

        // dW[k, :] += Σᵣ x[r, k]·dy_r: four weight rows at a time in registers, each dy vector loaded once for the four.
        int k0 = 0;
        for (; k0 + 4 <= inputs; k0 += 4)
        {
            int c = 0;
            for (; c + width <= outputs; c += width)
            {
                Vector<float> a0 = new(weightGradient.Slice((k0 * outputs) + c, width));
                Vector<float> a1 = new(weightGradient.Slice(((k0 + 1) * outputs) + c, width));
                Vector<float> a2 = new(weightGradient.Slice(((k0 + 2) * outputs) + c, width));
                Vector<float> a3 = new(weightGradient.Slice(((k0 + 3) * outputs) + c, width));
                for (int r = 0; r < rows; r++)
                {
                    Vector<float> dy = new(outputGradient.Slice((r * outputs) + c, width));
                    int at = (r * inputs) + k0;
                    a0 += dy * input[at];
                    a1 += dy * input[at + 1];
                    a2 += dy * input[at + 2];
                    a3 += dy * input[at + 3];
                }

                a0.CopyTo(weightGradient.Slice((k0 * outputs) + c, width));
                a1.CopyTo(weightGradient.Slice(((k0 + 1) * outputs) + c, width));
                a2.CopyTo(weightGradient.Slice(((k0 + 2) * outputs) + c, width));
                a3.CopyTo(weightGradient.Slice(((k0 + 3) * outputs) + c, width));
            }

            for (int k = k0; k < k0 + 4; k++)
            {
                for (int column = c; column < outputs; column++)
                {
                    float sum = weightGradient[(k * outputs) + column];
                    for (int r = 0; r < rows; r++)
                    {
                        sum += outputGradient[(r * outputs) + column] * input[(r * inputs) + k];
                    }

                    weightGradient[(k * outputs) + column] = sum;
                }
            }
        }

        for (int k = k0; k < inputs; k++)
        {
            Span<float> dw = weightGradient.Slice(k * outputs, outputs);
            int c = 0;
            for (; c + width <= outputs; c += width)
            {
                Vector<float> sum = new(dw.Slice(c, width));
                for (int r = 0; r < rows; r++)
                {
                    sum += new Vector<float>(outputGradient.Slice((r * outputs) + c, width)) * input[(r * inputs) + k];
                }

                sum.CopyTo(dw.Slice(c, width));
            }

            for (; c < outputs; c++)
            {
                float sum = dw[c];
                for (int r = 0; r < rows; r++)
                {
                    sum += outputGradient[(r * outputs) + c] * input[(r * inputs) + k];
                }

                dw[c] = sum;
            }
        }

        // dx[r, k] = dy_r · W_k, four rows at a time against each vector of W_k.
        int q = 0;
        for (; q + 4 <= rows; q += 4)
        {
            for (int k = 0; k < inputs; k++)
            {
                ReadOnlySpan<float> w = weights.Slice(k * outputs, outputs);
                Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero, s2 = Vector<float>.Zero, s3 = Vector<float>.Zero;
                int c = 0;
                for (; c + width <= outputs; c += width)
                {
                    Vector<float> wk = new(w.Slice(c, width));
                    s0 += wk * new Vector<float>(outputGradient.Slice((q * outputs) + c, width));
                    s1 += wk * new Vector<float>(outputGradient.Slice(((q + 1) * outputs) + c, width));
                    s2 += wk * new Vector<float>(outputGradient.Slice(((q + 2) * outputs) + c, width));
                    s3 += wk * new Vector<float>(outputGradient.Slice(((q + 3) * outputs) + c, width));
                }

                float t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
                for (; c < outputs; c++)
                {
                    t0 += w[c] * outputGradient[(q * outputs) + c];
                    t1 += w[c] * outputGradient[((q + 1) * outputs) + c];
                    t2 += w[c] * outputGradient[((q + 2) * outputs) + c];
                    t3 += w[c] * outputGradient[((q + 3) * outputs) + c];
                }

                inputGradient[(q * inputs) + k] = t0;
                inputGradient[((q + 1) * inputs) + k] = t1;
                inputGradient[((q + 2) * inputs) + k] = t2;
                inputGradient[((q + 3) * inputs) + k] = t3;
            }
        }

        for (; q < rows; q++)
        {
            for (int k = 0; k < inputs; k++)
            {
                ReadOnlySpan<float> w = weights.Slice(k * outputs, outputs);
                Vector<float> sum = Vector<float>.Zero;
                int c = 0;
                for (; c + width <= outputs; c += width)
                {
                    sum += new Vector<float>(w.Slice(c, width)) * new Vector<float>(outputGradient.Slice((q * outputs) + c, width));
                }

                float total = Vector.Sum(sum);
                for (; c < outputs; c++)
                {
                    total += w[c] * outputGradient[(q * outputs) + c];
                }

                inputGradient[(q * inputs) + k] = total;
            }
        }
    }
}
