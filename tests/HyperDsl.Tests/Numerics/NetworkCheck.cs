using System;
using System.Linq;
using HyperDsl.Tests.Reference;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Runs a compiled network and its reference on the same random parameters, inputs and output gradients, and asserts
/// the contract: Forward agrees to 1e-4, Backward's parameter and input gradients to 1e-3; Backward adds to the
/// parameter gradients; an empty inputGradients span is accepted and changes nothing else.
/// </summary>
public static class NetworkCheck
{
    public const double ForwardTolerance = 1e-4;
    public const double GradientTolerance = 1e-3;

    public static void AgreesWithReference(CompiledNetwork network, ReferenceNetwork reference, int batch, int seed)
    {
        string name = $"{network.Type.Name} [{reference}] batch {batch} seed {seed}";
        if (network.InputSize != reference.InputSize || network.OutputSize != reference.OutputSize || network.ParameterCount != reference.ParameterCount)
        {
            throw new Xunit.Sdk.XunitException(
                $"{name}: sizes {network.InputSize}/{network.OutputSize}/{network.ParameterCount}, reference {reference.InputSize}/{reference.OutputSize}/{reference.ParameterCount}");
        }

        var random = new Random(seed);
        float[] parameters = RandomData.Parameters(reference, random);
        float[] inputs = RandomData.Uniform(batch * reference.InputSize, -1.5f, 1.5f, random);
        float[] outputGradients = RandomData.Uniform(batch * reference.OutputSize, -1f, 1f, random);
        double[] parametersDouble = parameters.Select(v => (double)v).ToArray();
        double[] inputsDouble = inputs.Select(v => (double)v).ToArray();

        float[] outputs = new float[batch * network.OutputSize];
        float[] workspace = new float[network.WorkspaceSize(batch)];
        network.Forward(parameters, inputs, outputs, batch, workspace);
        Tolerance.AssertClose(outputs, reference.Forward(parametersDouble, inputsDouble, batch), ForwardTolerance, $"{name}: Forward");

        (double[] expectedParameterGradients, double[] expectedInputGradients) =
            reference.Backward(parametersDouble, inputsDouble, outputGradients.Select(v => (double)v).ToArray(), batch);

        // Gradients already present, on the scale of the new ones: Backward must add to them.
        double scale = Math.Sqrt(expectedParameterGradients.Sum(g => g * g) / expectedParameterGradients.Length);
        float[] previous = RandomData.Uniform(network.ParameterCount, -(float)scale, (float)scale, random);
        float[] parameterGradients = (float[])previous.Clone();
        float[] inputGradients = new float[batch * network.InputSize];
        network.Backward(parameters, inputs, outputGradients, batch, workspace, parameterGradients, inputGradients);

        float[] added = parameterGradients.Zip(previous, (total, before) => total - before).ToArray();
        Tolerance.AssertClose(added, expectedParameterGradients, GradientTolerance, $"{name}: Backward parameter gradients (added to what was there)");
        Tolerance.AssertClose(inputGradients, expectedInputGradients, GradientTolerance, $"{name}: Backward input gradients");

        // Without input gradients: the same parameter gradients, bit for bit, and no exception.
        float[] again = (float[])previous.Clone();
        network.Backward(parameters, inputs, outputGradients, batch, workspace, again, Span<float>.Empty);
        if (!again.AsSpan().SequenceEqual(parameterGradients))
        {
            throw new Xunit.Sdk.XunitException($"{name}: Backward with an empty inputGradients span changed the parameter gradients");
        }
    }
}

/// <summary>Seeded random tensors.</summary>
public static class RandomData
{
    public static float[] Uniform(int count, float low, float high, Random random)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }

        return values;
    }

    /// <summary>Weights uniform in ±√(3/fan-in) (unit variance through each layer), biases in ±0.5.</summary>
    public static float[] Parameters(ReferenceNetwork reference, Random random)
    {
        var parameters = new float[reference.ParameterCount];
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            ReferenceLayer layer = reference.Layers[l];
            int offset = reference.WeightsOffset(l);
            float bound = MathF.Sqrt(3f / layer.Inputs);
            Uniform(layer.Inputs * layer.Units, -bound, bound, random).CopyTo(parameters, offset);
            Uniform(layer.Units, -0.5f, 0.5f, random).CopyTo(parameters, offset + (layer.Inputs * layer.Units));
        }

        return parameters;
    }
}
