using System.Linq;
using CsCheck;
using HyperDsl.Tests.Reference;
using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Property: for any architecture — depth 1..5, widths 1..70 (most of them not multiples of any vector width), any
/// activations — and any batch 1..33, the generated Forward and Backward agree with the reference. CsCheck shrinks a
/// failing case to a small architecture and batch.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class RandomArchitectureTests
{
    private static readonly Gen<ReferenceNetwork> Architectures =
        from inputs in Gen.Int[1, 70]
        from layers in Gen.Select(Gen.Int[1, 70], Gen.Enum<Activation>()).Array[1, 5]
        select new ReferenceNetwork(inputs, layers.Select(layer => (layer.Item1, layer.Item2)));

    [Fact]
    public void Random_architectures_and_batches_match_the_reference()
    {
        Gen.Select(Architectures, Gen.Int[1, 33], Gen.Int[0, 1_000_000]).Sample(
            (reference, batch, seed) => NetworkCheck.AgreesWithReference(DynamicNetworks.Compile(reference), reference, batch, seed),
            iter: 60,
            print: sample => $"{sample.Item1}, batch {sample.Item2}, seed {sample.Item3}");
    }
}
