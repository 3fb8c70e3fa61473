using System;

namespace HyperDsl.Benchmarks;

/// <summary>
/// The "no generator" baseline: the same dense networks written as plain scalar C# loops over run-time sizes — what a
/// developer would write by hand without HyperDsl. Same layouts and the same math as the generated code.
/// </summary>
public sealed class ScalarMlp
{
    private readonly (int Inputs, int Units, Activation Activation, int Weights, int Bias)[] layers;
    private readonly float[][] activations;
    private readonly float[][] preActivations;
    private readonly float[] gradientA;
    private readonly float[] gradientB;

    public ScalarMlp(int inputs, int maxBatch, params (int Units, Activation Activation)[] shape)
    {
        layers = new (int, int, Activation, int, int)[shape.Length];
        activations = new float[shape.Length][];
        preActivations = new float[shape.Length][];
        int width = inputs;
        int offset = 0;
        int widest = inputs;
        for (int l = 0; l < shape.Length; l++)
        {
            layers[l] = (width, shape[l].Units, shape[l].Activation, offset, offset + (width * shape[l].Units));
            offset += (width * shape[l].Units) + shape[l].Units;
            activations[l] = new float[maxBatch * shape[l].Units];
            preActivations[l] = new float[maxBatch * shape[l].Units];
            width = shape[l].Units;
            widest = Math.Max(widest, width);
        }

        InputSize = inputs;
        OutputSize = width;
        ParameterCount = offset;
        gradientA = new float[maxBatch * widest];
        gradientB = new float[maxBatch * widest];
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount { get; }

    /// <summary>The outputs of the last Forward, <c>[n × OutputSize]</c>.</summary>
    public float[] Outputs => activations[^1];

    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, int n)
    {
        ReadOnlySpan<float> x = inputs;
        for (int l = 0; l < layers.Length; l++)
        {
            (int inputCount, int units, Activation activation, int weights, int bias) = layers[l];
            float[] z = preActivations[l];
            float[] a = activations[l];
            for (int s = 0; s < n; s++)
            {
                for (int o = 0; o < units; o++)
                {
                    float sum = parameters[bias + o];
                    for (int i = 0; i < inputCount; i++)
                    {
                        sum += x[(s * inputCount) + i] * parameters[weights + (i * units) + o];
                    }

                    z[(s * units) + o] = sum;
                    a[(s * units) + o] = Apply(activation, sum);
                }
            }

            x = a;
        }
    }

    /// <summary>Adds ∂L/∂W to <paramref name="parameterGradients"/>; writes ∂L/∂x to <paramref name="inputGradients"/> unless empty.</summary>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> outputGradients, int n, Span<float> parameterGradients, Span<float> inputGradients)
    {
        Span<float> upstream = gradientA;
        outputGradients[..(n * OutputSize)].CopyTo(upstream);
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            (int inputCount, int units, Activation activation, int weights, int bias) = layers[l];
            ReadOnlySpan<float> below = l == 0 ? inputs : activations[l - 1];
            float[] z = preActivations[l];
            Span<float> downstream = upstream == gradientA ? gradientB : gradientA;
            if (l == 0)
            {
                downstream = inputGradients;
            }

            bool wantDownstream = !downstream.IsEmpty;
            if (wantDownstream)
            {
                downstream[..(n * inputCount)].Clear();
            }

            for (int s = 0; s < n; s++)
            {
                for (int o = 0; o < units; o++)
                {
                    float g = upstream[(s * units) + o] * Derivative(activation, z[(s * units) + o]);
                    parameterGradients[bias + o] += g;
                    for (int i = 0; i < inputCount; i++)
                    {
                        parameterGradients[weights + (i * units) + o] += below[(s * inputCount) + i] * g;
                        if (wantDownstream)
                        {
                            downstream[(s * inputCount) + i] += g * parameters[weights + (i * units) + o];
                        }
                    }
                }
            }

            upstream = downstream;
        }
    }

    private static float Apply(Activation activation, float z) => activation switch
    {
        Activation.Relu => MathF.Max(z, 0f),
        Activation.Tanh => MathF.Tanh(z),
        _ => z,
    };

    private static float Derivative(Activation activation, float z) => activation switch
    {
        Activation.Relu => z > 0f ? 1f : 0f,
        Activation.Tanh => 1f - (MathF.Tanh(z) * MathF.Tanh(z)),
        _ => 1f,
    };
}

/// <summary>
/// A full hypernetwork's training step in plain scalar C#: the embedding row, the generator g, W, the target's forward
/// and backward per task, g's backward, the embedding gradient, and a scalar Adam update — the work of
/// ComputeGradients plus Adam.Step, without the generator.
/// </summary>
public sealed class ScalarHyperStep
{
    private readonly ScalarMlp generator;
    private readonly ScalarMlp target;
    private readonly int tasks;
    private readonly int embeddingSize;
    private readonly float[] parameters;
    private readonly float[] gradients;
    private readonly float[] firstMoment;
    private readonly float[] secondMoment;
    private readonly float[] weightGradients;
    private readonly float[] outputGradients;
    private readonly float[] inputGradients;
    private int step;

    public ScalarHyperStep(int tableRows, int embeddingSize, (int Units, Activation Activation)[] body, int targetInputs, (int Units, Activation Activation)[] targetShape, int maxSamples, int seed)
    {
        target = new ScalarMlp(targetInputs, maxSamples, targetShape);
        var generatorShape = new (int, Activation)[body.Length + 1];
        body.CopyTo(generatorShape, 0);
        generatorShape[^1] = (target.ParameterCount, Activation.Identity);
        generator = new ScalarMlp(embeddingSize, 1, generatorShape);
        tasks = tableRows;
        this.embeddingSize = embeddingSize;
        parameters = new float[(tableRows * embeddingSize) + generator.ParameterCount];
        gradients = new float[parameters.Length];
        firstMoment = new float[parameters.Length];
        secondMoment = new float[parameters.Length];
        weightGradients = new float[target.ParameterCount];
        outputGradients = new float[maxSamples * target.OutputSize];
        inputGradients = new float[embeddingSize];
        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = ((random.NextSingle() * 2f) - 1f) * 0.05f;
        }
    }

    /// <summary>One step over <paramref name="taskIds"/>, <paramref name="samples"/> samples each; returns the mean loss.</summary>
    public float Step(ReadOnlySpan<int> taskIds, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples)
    {
        Array.Clear(gradients);
        int table = tasks * embeddingSize;
        ReadOnlySpan<float> generatorParameters = parameters.AsSpan(table);
        Span<float> generatorGradients = gradients.AsSpan(table);
        float total = 0f;
        int outputs = samples * target.OutputSize;
        for (int t = 0; t < taskIds.Length; t++)
        {
            ReadOnlySpan<float> embedding = parameters.AsSpan(taskIds[t] * embeddingSize, embeddingSize);
            generator.Forward(generatorParameters, embedding, 1);
            float[] weights = generator.Outputs;
            ReadOnlySpan<float> x = inputs.Slice(t * samples * target.InputSize, samples * target.InputSize);
            target.Forward(weights, x, samples);
            for (int k = 0; k < outputs; k++)
            {
                float error = target.Outputs[k] - targets[(t * outputs) + k];
                total += error * error / outputs;
                outputGradients[k] = 2f * error / (outputs * taskIds.Length);
            }

            Array.Clear(weightGradients);
            target.Backward(weights, x, outputGradients, samples, weightGradients, Span<float>.Empty);
            generator.Backward(generatorParameters, embedding, weightGradients, 1, generatorGradients, inputGradients);
            for (int i = 0; i < embeddingSize; i++)
            {
                gradients[(taskIds[t] * embeddingSize) + i] += inputGradients[i];
            }
        }

        AdamStep();
        return total / taskIds.Length;
    }

    private void AdamStep()
    {
        step++;
        float correction1 = 1f - MathF.Pow(0.9f, step);
        float correction2 = 1f - MathF.Pow(0.999f, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            firstMoment[i] = (0.9f * firstMoment[i]) + (0.1f * g);
            secondMoment[i] = (0.999f * secondMoment[i]) + (0.001f * g * g);
            parameters[i] -= 1e-3f * (firstMoment[i] / correction1) / (MathF.Sqrt(secondMoment[i] / correction2) + 1e-8f);
        }
    }
}

/// <summary>
/// LeNet written by hand as plain scalar C# over NCHW images: direct convolution loops, 2×2 max pooling, dense layers,
/// reading the generated network's parameter layout (the offsets come from <see cref="LeNet.Layers"/>). One sample at a
/// time, as such code usually is; buffers allocated once.
/// </summary>
public sealed class ScalarLeNet
{
    private readonly float[] weights;
    private readonly int[] offsets;
    private readonly float[] conv0;
    private readonly float[] pool1;
    private readonly float[] conv2;
    private readonly float[] pool3;
    private readonly float[] flat;
    private readonly float[] dense4;
    private readonly float[] dense5;

    public ScalarLeNet(float[] weights)
    {
        this.weights = weights;
        offsets = new int[LeNet.Layers.Count];
        for (int l = 0; l < offsets.Length; l++)
        {
            offsets[l] = LeNet.Layers[l].WeightsOffset;
        }

        conv0 = new float[6 * 24 * 24];
        pool1 = new float[6 * 12 * 12];
        conv2 = new float[16 * 8 * 8];
        pool3 = new float[16 * 4 * 4];
        flat = new float[16 * 4 * 4];
        dense4 = new float[120];
        dense5 = new float[84];
    }

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int n)
    {
        for (int s = 0; s < n; s++)
        {
            Convolve(inputs.Slice(s * 784, 784), 1, 28, 28, offsets[0], 6, conv0);
            MaxPool(conv0, 6, 24, 24, pool1);
            Convolve(pool1, 6, 12, 12, offsets[2], 16, conv2);
            MaxPool(conv2, 16, 8, 8, pool3);

            // The generated layout's first dense layer reads the features as (row, column, channel).
            for (int c = 0; c < 16; c++)
            {
                for (int p = 0; p < 16; p++)
                {
                    flat[(p * 16) + c] = pool3[(c * 16) + p];
                }
            }

            Dense(flat, 256, offsets[4], 120, relu: true, dense4);
            Dense(dense4, 120, offsets[5], 84, relu: true, dense5);
            Dense(dense5, 84, offsets[6], 10, relu: false, outputs.Slice(s * 10, 10));
        }
    }

    /// <summary>A valid 5×5 convolution with ReLU; the weight of (filter f, channel c, ky, kx) is at row (ky·5 + kx)·C + c, column f.</summary>
    private void Convolve(ReadOnlySpan<float> x, int channels, int height, int width, int offset, int filters, Span<float> y)
    {
        const int K = 5;
        int outHeight = height - K + 1, outWidth = width - K + 1;
        int bias = offset + (K * K * channels * filters);
        for (int f = 0; f < filters; f++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    float sum = weights[bias + f];
                    for (int c = 0; c < channels; c++)
                    {
                        for (int ky = 0; ky < K; ky++)
                        {
                            for (int kx = 0; kx < K; kx++)
                            {
                                sum += x[(((c * height) + oy + ky) * width) + ox + kx] * weights[offset + ((((((ky * K) + kx) * channels) + c) * filters) + f)];
                            }
                        }
                    }

                    y[(((f * outHeight) + oy) * outWidth) + ox] = Math.Max(sum, 0f);
                }
            }
        }
    }

    private static void MaxPool(ReadOnlySpan<float> x, int channels, int height, int width, Span<float> y)
    {
        int outHeight = height / 2, outWidth = width / 2;
        for (int c = 0; c < channels; c++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int i = (((c * height) + (2 * oy)) * width) + (2 * ox);
                    y[(((c * outHeight) + oy) * outWidth) + ox] = Math.Max(Math.Max(x[i], x[i + 1]), Math.Max(x[i + width], x[i + width + 1]));
                }
            }
        }
    }

    private void Dense(ReadOnlySpan<float> x, int inputs, int offset, int units, bool relu, Span<float> y)
    {
        int bias = offset + (inputs * units);
        for (int o = 0; o < units; o++)
        {
            y[o] = weights[bias + o];
        }

        for (int i = 0; i < inputs; i++)
        {
            float xi = x[i];
            for (int o = 0; o < units; o++)
            {
                y[o] += xi * weights[offset + (i * units) + o];
            }
        }

        if (relu)
        {
            for (int o = 0; o < units; o++)
            {
                y[o] = Math.Max(y[o], 0f);
            }
        }
    }
}
