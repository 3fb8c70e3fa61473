using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperDsl.Tests.Reference;

/// <summary>One dense layer of the reference: its widths and activation.</summary>
public sealed record ReferenceLayer(int Inputs, int Units, Activation Activation);

/// <summary>
/// The oracle for generated target networks: a plain, scalar, double-precision implementation of the contract in
/// DESIGN.md, written from the math and not from the emitter. Parameters are laid out layer by layer, each layer's
/// weights input-major (W[i * units + o]) then its bias.
/// </summary>
public sealed class ReferenceNetwork : IReferenceTarget
{
    public ReferenceNetwork(int inputs, IEnumerable<(int Units, Activation Activation)> layers)
    {
        var list = new List<ReferenceLayer>();
        int width = inputs;
        foreach ((int units, Activation activation) in layers)
        {
            list.Add(new ReferenceLayer(width, units, activation));
            width = units;
        }

        Layers = list;
        InputSize = inputs;
        OutputSize = width;
        ParameterCount = list.Sum(layer => (layer.Inputs * layer.Units) + layer.Units);
    }

    public IReadOnlyList<ReferenceLayer> Layers { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount { get; }

    /// <summary>Offset of layer <paramref name="index"/>'s weights; its bias follows them.</summary>
    public int WeightsOffset(int index)
        => Layers.Take(index).Sum(layer => (layer.Inputs * layer.Units) + layer.Units);

    /// <inheritdoc/>
    public double[] HyperfanScale(bool fanOut = false)
    {
        var scale = new double[ParameterCount];
        for (int l = 0; l < Layers.Count; l++)
        {
            ReferenceLayer layer = Layers[l];
            double gain = ReferenceHyperNetwork.Gain(layer.Activation);
            int weights = WeightsOffset(l);
            double fan = fanOut ? layer.Units : layer.Inputs;
            for (int i = 0; i < layer.Inputs * layer.Units; i++)
            {
                scale[weights + i] = Math.Sqrt(gain / (2 * fan));
            }

            for (int o = 0; o < layer.Units; o++)
            {
                scale[weights + (layer.Inputs * layer.Units) + o] = Math.Sqrt(gain / 2);
            }
        }

        return scale;
    }

    /// <inheritdoc/>
    public double[] ParameterOffsets() => new double[ParameterCount];

    /// <summary>
    /// The parameters in PyTorch's order, as indices into this layout: layer by layer, <c>nn.Linear.weight</c>
    /// <c>[out, in]</c> row-major (element (o, i) is W[weights + i·units + o] here), then the bias.
    /// </summary>
    public int[] TorchOrder()
    {
        var order = new List<int>(ParameterCount);
        for (int l = 0; l < Layers.Count; l++)
        {
            ReferenceLayer layer = Layers[l];
            int weights = WeightsOffset(l);
            for (int o = 0; o < layer.Units; o++)
            {
                for (int i = 0; i < layer.Inputs; i++)
                {
                    order.Add(weights + (i * layer.Units) + o);
                }
            }

            order.AddRange(Enumerable.Range(weights + (layer.Inputs * layer.Units), layer.Units));
        }

        return order.ToArray();
    }

    /// <inheritdoc/>
    public (int Start, int Length)[] LayerParameters()
        => Layers.Select((layer, l) => (WeightsOffset(l), (layer.Inputs * layer.Units) + layer.Units)).ToArray();

    public override string ToString()
        => $"{InputSize} -> " + string.Join(" -> ", Layers.Select(layer => $"{layer.Units} {layer.Activation}"));

    /// <summary>The outputs [batch × OutputSize].</summary>
    public double[] Forward(IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, int batch)
        => Run(parameters, inputs, batch).Activations[^1];

    /// <summary>
    /// ∂L/∂W and ∂L/∂x for a loss whose gradient with respect to the outputs is <paramref name="outputGradients"/>.
    /// </summary>
    public (double[] ParameterGradients, double[] InputGradients) Backward(
        IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, IReadOnlyList<double> outputGradients, int batch)
    {
        (List<double[]> pre, List<double[]> activations) = Run(parameters, inputs, batch);
        var parameterGradients = new double[ParameterCount];
        double[] upstream = outputGradients.ToArray();
        for (int l = Layers.Count - 1; l >= 0; l--)
        {
            ReferenceLayer layer = Layers[l];
            int weights = WeightsOffset(l);
            int bias = weights + (layer.Inputs * layer.Units);
            double[] below = activations[l];
            double[] z = pre[l + 1];
            var dz = new double[batch * layer.Units];
            for (int k = 0; k < dz.Length; k++)
            {
                dz[k] = upstream[k] * ReferenceActivations.Derivative(layer.Activation, z[k]);
            }

            var downstream = new double[batch * layer.Inputs];
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    double g = dz[(n * layer.Units) + o];
                    parameterGradients[bias + o] += g;
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        parameterGradients[weights + (i * layer.Units) + o] += below[(n * layer.Inputs) + i] * g;
                        downstream[(n * layer.Inputs) + i] += g * parameters[weights + (i * layer.Units) + o];
                    }
                }
            }

            upstream = downstream;
        }

        return (parameterGradients, upstream);
    }

    /// <summary>Pre-activations and activations of every layer; index 0 of both is the input.</summary>
    private (List<double[]> PreActivations, List<double[]> Activations) Run(IReadOnlyList<double> parameters, IReadOnlyList<double> inputs, int batch)
    {
        if (parameters.Count != ParameterCount)
        {
            throw new ArgumentException($"expected {ParameterCount} parameters, got {parameters.Count}");
        }

        double[] current = inputs.Take(batch * InputSize).ToArray();
        var pre = new List<double[]> { current };
        var activations = new List<double[]> { current };
        for (int l = 0; l < Layers.Count; l++)
        {
            ReferenceLayer layer = Layers[l];
            int weights = WeightsOffset(l);
            int bias = weights + (layer.Inputs * layer.Units);
            var z = new double[batch * layer.Units];
            var a = new double[batch * layer.Units];
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    double sum = parameters[bias + o];
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        sum += current[(n * layer.Inputs) + i] * parameters[weights + (i * layer.Units) + o];
                    }

                    z[(n * layer.Units) + o] = sum;
                    a[(n * layer.Units) + o] = ReferenceActivations.Apply(layer.Activation, sum);
                }
            }

            pre.Add(z);
            activations.Add(a);
            current = a;
        }

        return (pre, activations);
    }
}

/// <summary>The activation functions and their derivatives in double precision, from their textbook formulas.</summary>
public static class ReferenceActivations
{
    private static readonly double GeluScale = Math.Sqrt(2.0 / Math.PI);

    public static double Apply(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Relu => Math.Max(z, 0.0),
        Activation.LeakyRelu => z > 0 ? z : 0.01 * z,
        Activation.Tanh => Math.Tanh(z),
        Activation.Sigmoid => Sigmoid(z),
        // ½·z·(1 + tanh u) written as z·σ(2u), which is the same number without cancelling to 0 for z ≪ 0.
        Activation.Gelu => z * Sigmoid(2.0 * GeluInner(z)),
        Activation.Silu => z * Sigmoid(z),
        Activation.Softplus => Math.Max(z, 0.0) + LogOnePlus(Math.Exp(-Math.Abs(z))),
        Activation.Elu => z > 0 ? z : ExpMinusOne(z),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    public static double Derivative(Activation activation, double z)
    {
        switch (activation)
        {
            case Activation.Identity:
                return 1.0;
            case Activation.Relu:
                return z > 0 ? 1.0 : 0.0;
            case Activation.LeakyRelu:
                return z > 0 ? 1.0 : 0.01;
            case Activation.Tanh:
                double t = Math.Tanh(z);
                return 1.0 - (t * t);
            case Activation.Sigmoid:
                double s = Sigmoid(z);
                return s * (1.0 - s);
            case Activation.Gelu:
                // d/dz ½·z·(1 + tanh u) = ½(1 + tanh u) + ½·z·(1 − tanh²u)·u′, with ½(1 + tanh u) = σ(2u)
                // and 1 − tanh²u = 4σ(2u)(1 − σ(2u)).
                double s2u = Sigmoid(2.0 * GeluInner(z));
                double du = GeluScale * (1.0 + (3.0 * 0.044715 * z * z));
                return s2u + (2.0 * z * s2u * (1.0 - s2u) * du);
            case Activation.Silu:
                double σ = Sigmoid(z);
                return σ * (1.0 + (z * (1.0 - σ)));
            case Activation.Softplus:
                return Sigmoid(z);
            case Activation.Elu:
                return z > 0 ? 1.0 : Math.Exp(z);
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>u = √(2/π)·(z + 0.044715·z³), the argument of tanh in the GELU approximation.</summary>
    public static double GeluInner(double z) => GeluScale * (z + (0.044715 * z * z * z));

    /// <summary>ln(1 + t) accurate for small t (Goldberg): ln(u)·t/(u − 1) with u = 1 + t rounded.</summary>
    public static double LogOnePlus(double t)
    {
        double u = 1.0 + t;
        return u == 1.0 ? t : Math.Log(u) * t / (u - 1.0);
    }

    /// <summary>e^z − 1 accurate for small z (Kahan): (u − 1)·z/ln(u) with u = e^z rounded.</summary>
    public static double ExpMinusOne(double z)
    {
        double u = Math.Exp(z);
        return u == 1.0 ? z : u - 1.0 == -1.0 ? -1.0 : (u - 1.0) * z / Math.Log(u);
    }

    public static double Sigmoid(double z) => z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));
}
