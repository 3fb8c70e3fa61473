using System;
using System.Linq;

namespace HyperDsl.Tests.Reference;

/// <summary>
/// The oracle for the attention block, in double precision and written from the definitions: for a set X of n tokens
/// of width d, A = LN₁(X), [Q K V] = A·W_in + b_in, per head h softmax(Q_h K_hᵀ / √(d/H)) V_h, Y = X + heads·W_o + b_o,
/// then Y + ReLU(LN₂(Y)·W₁ + b₁)·W₂ + b₂. Parameters in the order LN₁ γ β, W_in [d × 3d] b_in, W_o [d × d] b_o,
/// LN₂ γ β, W₁ [d × f] b₁, W₂ [f × d] b₂, matrices input-major.
/// </summary>
public sealed class ReferenceAttention(int features, int heads, int feedForward)
{
    public int Features { get; } = features;

    public int Heads { get; } = heads;

    public int FeedForward { get; } = feedForward;

    public int ParameterCount => (4 * Features * Features) + (2 * Features * FeedForward) + (9 * Features) + FeedForward;

    public double[] Forward(double[] p, double[] x, int n)
    {
        int d = Features, f = FeedForward;
        int at = 0;
        double[] Take(int count)
        {
            double[] part = p.Skip(at).Take(count).ToArray();
            at += count;
            return part;
        }

        double[] g1 = Take(d), s1 = Take(d), wIn = Take(3 * d * d), bIn = Take(3 * d), wOut = Take(d * d), bOut = Take(d);
        double[] g2 = Take(d), s2 = Take(d), w1 = Take(d * f), b1 = Take(f), w2 = Take(f * d), b2 = Take(d);
        double[] a = LayerNorm(x, g1, s1, n, d);
        double[] qkv = Linear(a, wIn, bIn, n, d, 3 * d);
        int width = d / Heads;
        var attended = new double[n * d];
        for (int h = 0; h < Heads; h++)
        {
            for (int i = 0; i < n; i++)
            {
                var logits = new double[n];
                for (int j = 0; j < n; j++)
                {
                    for (int c = 0; c < width; c++)
                    {
                        logits[j] += qkv[(i * 3 * d) + (h * width) + c] * qkv[(j * 3 * d) + d + (h * width) + c];
                    }

                    logits[j] /= Math.Sqrt(width);
                }

                // log-sum-exp about the maximum, so that the reference itself is exact for large logits.
                double max = logits.Max();
                double sum = logits.Sum(l => Math.Exp(l - max));
                for (int j = 0; j < n; j++)
                {
                    double weight = Math.Exp(logits[j] - max) / sum;
                    for (int c = 0; c < width; c++)
                    {
                        attended[(i * d) + (h * width) + c] += weight * qkv[(j * 3 * d) + (2 * d) + (h * width) + c];
                    }
                }
            }
        }

        double[] y = Linear(attended, wOut, bOut, n, d, d).Zip(x, (u, v) => u + v).ToArray();
        double[] hidden = Linear(LayerNorm(y, g2, s2, n, d), w1, b1, n, d, f).Select(v => Math.Max(v, 0)).ToArray();
        return Linear(hidden, w2, b2, n, f, d).Zip(y, (u, v) => u + v).ToArray();
    }

    private static double[] LayerNorm(double[] x, double[] gamma, double[] beta, int n, int d)
    {
        var y = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double[] row = x.Skip(i * d).Take(d).ToArray();
            double mean = row.Average();
            double variance = row.Select(v => (v - mean) * (v - mean)).Average();
            for (int c = 0; c < d; c++)
            {
                y[(i * d) + c] = (gamma[c] * (row[c] - mean) / Math.Sqrt(variance + 1e-5)) + beta[c];
            }
        }

        return y;
    }

    private static double[] Linear(double[] x, double[] w, double[] b, int n, int inputs, int outputs)
    {
        var y = new double[n * outputs];
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum = b[o];
                for (int k = 0; k < inputs; k++)
                {
                    sum += x[(i * inputs) + k] * w[(k * outputs) + o];
                }

                y[(i * outputs) + o] = sum;
            }
        }

        return y;
    }
}
