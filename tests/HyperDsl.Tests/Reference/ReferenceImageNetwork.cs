using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperDsl.Tests.Reference;

/// <summary>One layer of <see cref="ReferenceImageNetwork"/>, as declared.</summary>
public sealed record ReferenceImageLayer(
    LayerKind Kind,
    int Units = 0,
    int Filters = 0,
    int Kernel = 0,
    int Stride = 1,
    bool Same = false,
    Activation Activation = Activation.Identity,
    bool Residual = false)
{
    public static ReferenceImageLayer Dense(int units, Activation activation = Activation.Identity, bool residual = false) => new(LayerKind.Dense, Units: units, Activation: activation, Residual: residual);

    public static ReferenceImageLayer Conv(int filters, int kernel, Activation activation = Activation.Identity, int stride = 1, bool same = false, bool residual = false)
        => new(LayerKind.Conv2D, Filters: filters, Kernel: kernel, Stride: stride, Same: same, Activation: activation, Residual: residual);

    public static ReferenceImageLayer MaxPool(int size) => new(LayerKind.MaxPool2D, Kernel: size, Stride: size);

    public static ReferenceImageLayer AvgPool(int size) => new(LayerKind.AvgPool2D, Kernel: size, Stride: size);

    public static ReferenceImageLayer GlobalAvgPool() => new(LayerKind.GlobalAvgPool2D);

    public static ReferenceImageLayer LayerNorm(bool residual = false) => new(LayerKind.LayerNorm, Residual: residual);
}

/// <summary>
/// The oracle for networks with images: PyTorch's semantics (NCHW tensors; <c>nn.Conv2d</c> cross-correlation with
/// zero padding, same padding as ONNX's SAME_UPPER; non-overlapping pools that floor; <c>nn.LayerNorm</c> over every
/// feature with ε = 1e-5 and the biased variance; a Dense layer flattening an image in (C, H, W) order), written as
/// plain loops in double precision from the definitions, not from the emitters. Its gradients are central finite
/// differences of its own forward pass.
/// </summary>
/// <remarks>
/// It reads parameters where the generated code keeps them (the contract of the layout, documented in the generated
/// header): a convolution's weight for filter f, channel c, tap (ky, kx) at row (ky·k + kx)·C + c of a [taps × filters]
/// matrix; a Dense layer after an image reads feature (c, h, w) from row (h·W + w)·C + c; a LayerNorm's γ and β for
/// (c, h, w) at (h·W + w)·C + c. It computes its own shapes and offsets.
/// </remarks>
public sealed class ReferenceImageNetwork : IReferenceTarget
{
    private readonly List<(ReferenceImageLayer Layer, Shape Input, Shape Output, int Weights, int Bias, int PadTop, int PadLeft)> layers = new();

    public ReferenceImageNetwork(Shape input, params ReferenceImageLayer[] declared)
    {
        Input = input;
        Shape shape = input;
        int offset = 0;
        foreach (ReferenceImageLayer layer in declared)
        {
            (Shape output, int padTop, int padLeft) = Propagate(layer, shape);
            int weights = layer.Kind switch
            {
                LayerKind.Dense => shape.Size * layer.Units,
                LayerKind.Conv2D => layer.Kernel * layer.Kernel * shape.Channels * layer.Filters,
                LayerKind.LayerNorm => shape.Size,
                _ => 0,
            };
            int bias = layer.Kind switch
            {
                LayerKind.Dense => layer.Units,
                LayerKind.Conv2D => layer.Filters,
                LayerKind.LayerNorm => shape.Size,
                _ => 0,
            };
            layers.Add((layer, shape, output, offset, offset + weights, padTop, padLeft));
            offset += weights + bias;
            shape = output;
        }

        Output = shape;
        ParameterCount = offset;
    }

    public Shape Input { get; }

    public Shape Output { get; }

    public int ParameterCount { get; }

    public int InputSize => Input.Size;

    public int OutputSize => Output.Size;

    /// <inheritdoc/>
    public double[] HyperfanScale(bool fanOut = false)
    {
        var scale = new double[ParameterCount];
        foreach (var (layer, input, output, weights, bias, _, _) in layers)
        {
            double gain = ReferenceHyperNetwork.Gain(layer.Activation);
            (double fanIn, double fanOutOfLayer) = layer.Kind switch
            {
                LayerKind.Dense => ((double)input.Size, (double)layer.Units),
                LayerKind.Conv2D => ((double)layer.Kernel * layer.Kernel * input.Channels, (double)layer.Kernel * layer.Kernel * layer.Filters),
                _ => (1.0, 1.0),
            };
            double weightScale = layer.Kind == LayerKind.LayerNorm ? 0.1 : Math.Sqrt(gain / (2 * (fanOut ? fanOutOfLayer : fanIn)));
            double biasScale = layer.Kind == LayerKind.LayerNorm ? 0.1 : Math.Sqrt(gain / 2);
            for (int i = weights; i < bias; i++)
            {
                scale[i] = weightScale;
            }

            int biasLength = layer.Kind switch { LayerKind.Dense => layer.Units, LayerKind.Conv2D => layer.Filters, LayerKind.LayerNorm => input.Size, _ => 0 };
            for (int i = bias; i < bias + biasLength; i++)
            {
                scale[i] = biasScale;
            }
        }

        return scale;
    }

    /// <inheritdoc/>
    public (int Start, int Length)[] LayerParameters()
    {
        var ranges = new (int Start, int Length)[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            int end = l + 1 < layers.Count ? layers[l + 1].Weights : ParameterCount;
            ranges[l] = (layers[l].Weights, end - layers[l].Weights);
        }

        return ranges;
    }

    /// <inheritdoc/>
    public double[] ParameterOffsets()
    {
        var offsets = new double[ParameterCount];
        foreach (var (layer, input, _, weights, _, _, _) in layers.Where(l => l.Layer.Kind == LayerKind.LayerNorm))
        {
            Array.Fill(offsets, 1.0, weights, input.Size);
        }

        return offsets;
    }

    /// <summary>Each layer's shapes and the offsets of its weights and bias.</summary>
    public IEnumerable<(LayerKind Kind, Shape Input, Shape Output, int Weights, int Bias)> Layers
        => layers.Select(l => (l.Layer.Kind, l.Input, l.Output, l.Weights, l.Bias));

    /// <summary>The outputs, <c>[batch × Output.Size]</c>, NCHW for an image.</summary>
    public double[] Forward(IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, int batch)
    {
        var outputs = new double[batch * Output.Size];
        for (int n = 0; n < batch; n++)
        {
            double[] x = inputs.Skip(n * Input.Size).Take(Input.Size).ToArray();
            foreach (var layer in layers)
            {
                double[] y = Apply(layer, parameters, x);
                if (layer.Layer.Residual)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] += x[i];
                    }
                }

                x = y;
            }

            Array.Copy(x, 0, outputs, n * Output.Size, x.Length);
        }

        return outputs;
    }

    /// <summary>Σ outputs ⊙ <paramref name="weights"/>: a loss whose gradient with respect to the outputs is the weights.</summary>
    public double Loss(IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, int batch, IReadOnlyList<double> weights)
    {
        double[] outputs = Forward(parameters, inputs, batch);
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            sum += outputs[i] * weights[i];
        }

        return sum;
    }

    /// <summary>∂Loss/∂(the listed parameters and inputs) by central differences with step h.</summary>
    public (double[] Parameters, double[] Inputs) Gradients(double[] parameters, double[] inputs, int batch, double[] outputGradients, IReadOnlyList<int> parameterIndices, IReadOnlyList<int> inputIndices, double h = 1e-5)
    {
        double Difference(double[] vector, int index)
        {
            double saved = vector[index];
            vector[index] = saved + h;
            double plus = Loss(parameters, inputs, batch, outputGradients);
            vector[index] = saved - h;
            double minus = Loss(parameters, inputs, batch, outputGradients);
            vector[index] = saved;
            return (plus - minus) / (2 * h);
        }

        return (parameterIndices.Select(i => Difference(parameters, i)).ToArray(), inputIndices.Select(i => Difference(inputs, i)).ToArray());
    }

    private static (Shape Output, int PadTop, int PadLeft) Propagate(ReferenceImageLayer layer, Shape input)
    {
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                return (Shape.Vector(layer.Units), 0, 0);
            case LayerKind.Conv2D:
                (int height, int top) = Side(input.Height, layer.Kernel, layer.Stride, layer.Same);
                (int width, int left) = Side(input.Width, layer.Kernel, layer.Stride, layer.Same);
                return (Shape.Image(layer.Filters, height, width), top, left);
            case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                return (Shape.Image(input.Channels, input.Height / layer.Kernel, input.Width / layer.Kernel), 0, 0);
            case LayerKind.GlobalAvgPool2D:
                return (Shape.Vector(input.Channels), 0, 0);
            default:
                return (input, 0, 0);
        }

        static (int Size, int Before) Side(int size, int kernel, int stride, bool same)
        {
            if (!same)
            {
                return (((size - kernel) / stride) + 1, 0);
            }

            int output = (size + stride - 1) / stride;
            int total = Math.Max(((output - 1) * stride) + kernel - size, 0);
            return (output, total / 2);
        }
    }

    /// <summary>One layer on one sample (NCHW in, NCHW out), without the residual.</summary>
    private static double[] Apply((ReferenceImageLayer Layer, Shape Input, Shape Output, int Weights, int Bias, int PadTop, int PadLeft) entry, IReadOnlyList<double> p, double[] x)
    {
        (ReferenceImageLayer layer, Shape input, Shape output, int weights, int bias, int padTop, int padLeft) = entry;
        var y = new double[output.Size];
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                for (int o = 0; o < layer.Units; o++)
                {
                    double sum = p[bias + o];
                    for (int i = 0; i < input.Size; i++)
                    {
                        sum += x[i] * p[weights + (StoredFeature(input, i) * layer.Units) + o];
                    }

                    y[o] = ReferenceActivations.Apply(layer.Activation, sum);
                }

                break;

            case LayerKind.Conv2D:
                for (int f = 0; f < output.Channels; f++)
                {
                    for (int oy = 0; oy < output.Height; oy++)
                    {
                        for (int ox = 0; ox < output.Width; ox++)
                        {
                            double sum = p[bias + f];
                            for (int c = 0; c < input.Channels; c++)
                            {
                                for (int ky = 0; ky < layer.Kernel; ky++)
                                {
                                    for (int kx = 0; kx < layer.Kernel; kx++)
                                    {
                                        int iy = (oy * layer.Stride) + ky - padTop;
                                        int ix = (ox * layer.Stride) + kx - padLeft;
                                        if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                                        {
                                            continue;
                                        }

                                        double w = p[weights + ((((ky * layer.Kernel) + kx) * input.Channels) + c) * output.Channels + f];
                                        sum += w * x[(((c * input.Height) + iy) * input.Width) + ix];
                                    }
                                }
                            }

                            y[(((f * output.Height) + oy) * output.Width) + ox] = ReferenceActivations.Apply(layer.Activation, sum);
                        }
                    }
                }

                break;

            case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                for (int c = 0; c < input.Channels; c++)
                {
                    for (int oy = 0; oy < output.Height; oy++)
                    {
                        for (int ox = 0; ox < output.Width; ox++)
                        {
                            double max = double.NegativeInfinity, sum = 0;
                            for (int ky = 0; ky < layer.Kernel; ky++)
                            {
                                for (int kx = 0; kx < layer.Kernel; kx++)
                                {
                                    double v = x[(((c * input.Height) + (oy * layer.Kernel) + ky) * input.Width) + (ox * layer.Kernel) + kx];
                                    max = Math.Max(max, v);
                                    sum += v;
                                }
                            }

                            y[(((c * output.Height) + oy) * output.Width) + ox] = layer.Kind == LayerKind.MaxPool2D ? max : sum / (layer.Kernel * layer.Kernel);
                        }
                    }
                }

                break;

            case LayerKind.GlobalAvgPool2D:
                for (int c = 0; c < input.Channels; c++)
                {
                    double sum = 0;
                    for (int i = 0; i < input.Height * input.Width; i++)
                    {
                        sum += x[(c * input.Height * input.Width) + i];
                    }

                    y[c] = sum / (input.Height * input.Width);
                }

                break;

            default:
                double mean = x.Average();
                double variance = x.Select(v => (v - mean) * (v - mean)).Average();
                double deviation = Math.Sqrt(variance + 1e-5);
                for (int i = 0; i < x.Length; i++)
                {
                    int stored = StoredFeature(input, i);
                    y[i] = (p[weights + stored] * (x[i] - mean) / deviation) + p[bias + stored];
                }

                break;
        }

        return y;
    }

    /// <summary>Where the generated layout keeps feature <paramref name="i"/> (CHW order) of <paramref name="shape"/>: HWC order for an image.</summary>
    private static int StoredFeature(Shape shape, int i)
    {
        if (!shape.IsImage)
        {
            return i;
        }

        int pixels = shape.Height * shape.Width;
        int c = i / pixels;
        int pixel = i % pixels;
        return (pixel * shape.Channels) + c;
    }
}
