using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Tests.Networks;
using HyperDsl.Tests.Reference;

namespace HyperDsl.Tests.Numerics;

/// <summary>The compiled test networks beside their architectures, written out by hand for the reference.</summary>
public static class NetworkCatalog
{
    private static readonly Dictionary<string, (Type Type, ReferenceNetwork Reference)> Entries = new()
    {
        ["SineNet"] = (typeof(SineNet), new ReferenceNetwork(1, new[] { (40, Activation.Relu), (40, Activation.Relu), (1, Activation.Identity) })),
        ["IdentityNet"] = (typeof(IdentityNet), PerActivation(Activation.Identity)),
        ["ReluNet"] = (typeof(ReluNet), PerActivation(Activation.Relu)),
        ["LeakyReluNet"] = (typeof(LeakyReluNet), PerActivation(Activation.LeakyRelu)),
        ["TanhNet"] = (typeof(TanhNet), PerActivation(Activation.Tanh)),
        ["SigmoidNet"] = (typeof(SigmoidNet), PerActivation(Activation.Sigmoid)),
        ["GeluNet"] = (typeof(GeluNet), PerActivation(Activation.Gelu)),
        ["SiluNet"] = (typeof(SiluNet), PerActivation(Activation.Silu)),
        ["SoftplusNet"] = (typeof(SoftplusNet), PerActivation(Activation.Softplus)),
        ["EluNet"] = (typeof(EluNet), PerActivation(Activation.Elu)),
        ["WideNet"] = (typeof(WideNet), new ReferenceNetwork(64, new[] { (256, Activation.Tanh), (10, Activation.Identity) })),
        ["MixedNet"] = (typeof(MixedNet), new ReferenceNetwork(6, new[] { (1, Activation.Silu), (70, Activation.Gelu), (9, Activation.LeakyRelu), (3, Activation.Sigmoid) })),
        ["LogisticNet"] = (typeof(LogisticNet), new ReferenceNetwork(2, new[] { (1, Activation.Sigmoid) })),
        ["HugeNet"] = (typeof(HugeNet), new ReferenceNetwork(1, new[] { (16400, Activation.Tanh), (1, Activation.Identity) })),
        ["BlockedNet"] = (typeof(BlockedNet), new ReferenceNetwork(5, new[] { (601, Activation.Tanh), (3, Activation.Identity) })),
    };

    /// <summary>Every network's name, for theories.</summary>
    public static IEnumerable<object[]> Names => Entries.Keys.Select(name => new object[] { name });

    /// <summary>The per-activation networks' names.</summary>
    public static IEnumerable<object[]> ActivationNetworks
        => Enum.GetValues<Activation>().Select(activation => new object[] { activation + "Net" });

    public static (CompiledNetwork Network, ReferenceNetwork Reference) Get(string name)
    {
        (Type type, ReferenceNetwork reference) = Entries[name];
        return (CompiledNetwork.From(type), reference);
    }

    private static ReferenceNetwork PerActivation(Activation activation)
        => new(3, new[] { (37, activation), (5, activation) });
}
