using Xunit;

namespace HyperDsl.Tests.Numerics;

/// <summary>The compiled test networks against the double-precision reference, for batches around every tile size.</summary>
[Trait("Category", "Numerics")]
public sealed class TargetNetworkNumericsTests
{
    // 1..5 straddle the 4-sample micro-tiles; 33 is the property test's largest; 130 spans several backward tiles.
    private static readonly int[] Batches = { 1, 2, 3, 4, 5, 9, 33, 130 };

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Forward_and_backward_match_the_reference(string network)
    {
        (CompiledNetwork compiled, Reference.ReferenceNetwork reference) = NetworkCatalog.Get(network);
        int seed = 1;
        foreach (int batch in Batches)
        {
            NetworkCheck.AgreesWithReference(compiled, reference, batch, seed++);
        }
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.ActivationNetworks), MemberType = typeof(NetworkCatalog))]
    public void Every_activation_matches_the_reference_in_hidden_and_output_layers(string network)
    {
        (CompiledNetwork compiled, Reference.ReferenceNetwork reference) = NetworkCatalog.Get(network);
        for (int seed = 100; seed < 110; seed++)
        {
            NetworkCheck.AgreesWithReference(compiled, reference, batch: 1 + (seed % 7), seed);
        }
    }
}
