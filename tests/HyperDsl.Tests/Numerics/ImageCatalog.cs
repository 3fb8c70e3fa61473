using System;
using System.Collections.Generic;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Reference;

namespace HyperDsl.Tests.Numerics;

/// <summary>The compiled networks with images beside their references, whose architectures are written out again here.</summary>
public static class ImageCatalog
{
    public static readonly IReadOnlyDictionary<string, (Type Type, ReferenceImageNetwork Reference)> Networks = new Dictionary<string, (Type Type, ReferenceImageNetwork Reference)>
    {
        ["ConvValidNet"] = (typeof(ConvValidNet), new ReferenceImageNetwork(
            Shape.Image(1, 7, 6),
            ReferenceImageLayer.Conv(3, 3, Activation.Tanh),
            ReferenceImageLayer.Dense(2))),
        ["ConvStridedNet"] = (typeof(ConvStridedNet), new ReferenceImageNetwork(
            Shape.Image(3, 9, 7),
            ReferenceImageLayer.Conv(4, 3, Activation.Sigmoid, stride: 2, same: true),
            ReferenceImageLayer.GlobalAvgPool(),
            ReferenceImageLayer.Dense(2))),
        ["PoolNet"] = (typeof(PoolNet), new ReferenceImageNetwork(
            Shape.Image(2, 8, 9),
            ReferenceImageLayer.Conv(3, 3, Activation.Gelu, same: true),
            ReferenceImageLayer.MaxPool(2),
            ReferenceImageLayer.AvgPool(2),
            ReferenceImageLayer.Dense(3, Activation.Tanh),
            ReferenceImageLayer.LayerNorm(),
            ReferenceImageLayer.Dense(2))),
        ["ResidualImageNet"] = (typeof(ResidualImageNet), new ReferenceImageNetwork(
            Shape.Image(3, 5, 5),
            ReferenceImageLayer.Conv(3, 3, Activation.Silu, same: true, residual: true),
            ReferenceImageLayer.LayerNorm(residual: true),
            ReferenceImageLayer.Conv(2, 1, Activation.Softplus, stride: 2))),
        ["ResidualVectorNet"] = (typeof(ResidualVectorNet), new ReferenceImageNetwork(
            Shape.Vector(6),
            ReferenceImageLayer.Dense(6, Activation.Tanh, residual: true),
            ReferenceImageLayer.LayerNorm(),
            ReferenceImageLayer.Dense(6, residual: true),
            ReferenceImageLayer.Dense(2, Activation.Sigmoid))),
        ["MixedSharingNet"] = (typeof(MixedSharingNet), new ReferenceImageNetwork(
            Shape.Image(1, 6, 6),
            ReferenceImageLayer.Conv(2, 3, Activation.Tanh),
            ReferenceImageLayer.LayerNorm(),
            ReferenceImageLayer.AvgPool(2),
            ReferenceImageLayer.Dense(3, Activation.Tanh),
            ReferenceImageLayer.Dense(2))),
        ["DirectConvNet"] = (typeof(DirectConvNet), new ReferenceImageNetwork(
            Shape.Image(1, 7, 30),
            ReferenceImageLayer.Conv(20, 3, Activation.Gelu),
            ReferenceImageLayer.GlobalAvgPool(),
            ReferenceImageLayer.Dense(2))),
        ["DirectChainNet"] = (typeof(DirectChainNet), new ReferenceImageNetwork(
            Shape.Image(1, 9, 11),
            ReferenceImageLayer.Conv(1, 2, Activation.Tanh),
            ReferenceImageLayer.Conv(1, 1, Activation.Sigmoid, residual: true),
            ReferenceImageLayer.Conv(3, 3, Activation.Softplus),
            ReferenceImageLayer.MaxPool(2),
            ReferenceImageLayer.Dense(2))),
        ["EluImageNet"] = (typeof(EluImageNet), new ReferenceImageNetwork(
            Shape.Image(2, 7, 6),
            ReferenceImageLayer.Conv(3, 3, Activation.Elu, stride: 2, same: true),
            ReferenceImageLayer.Dense(4, Activation.Elu),
            ReferenceImageLayer.Dense(2))),
        ["LeNet"] = (typeof(LeNet), new ReferenceImageNetwork(
            Shape.Image(1, 28, 28),
            ReferenceImageLayer.Conv(6, 5, Activation.Relu),
            ReferenceImageLayer.MaxPool(2),
            ReferenceImageLayer.Conv(16, 5, Activation.Relu),
            ReferenceImageLayer.MaxPool(2),
            ReferenceImageLayer.Dense(120, Activation.Relu),
            ReferenceImageLayer.Dense(84, Activation.Relu),
            ReferenceImageLayer.Dense(10))),
    };

    /// <summary>The reference of the network named <paramref name="name"/>.</summary>
    public static ReferenceImageNetwork Reference(string name) => Networks[name].Reference;
}
