using System;
using HyperDsl;

namespace ImageTasks;

/// <summary>Initial weights as PyTorch gives <c>nn.Conv2d</c> and <c>nn.Linear</c>: weights and biases uniform in ±1/√fan-in.</summary>
public static class PyTorchInitialization
{
    /// <summary>Fills every layer's weights and biases of <typeparamref name="TNetwork"/> in <paramref name="weights"/>.</summary>
    public static void Apply<TNetwork>(Span<float> weights, Random random)
        where TNetwork : ITargetNetwork
    {
        foreach (LayerDescription layer in TNetwork.Layers)
        {
            double bound = 1 / Math.Sqrt(Math.Max(1, layer.FanIn));
            foreach (ref float value in weights.Slice(layer.WeightsOffset, layer.WeightsLength + layer.BiasLength))
            {
                value = (float)(((2 * random.NextDouble()) - 1) * bound);
            }
        }
    }
}
