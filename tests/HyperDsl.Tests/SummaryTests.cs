using HyperDsl.Tests.Networks;
using Xunit;

namespace HyperDsl.Tests;

/// <summary>The generated summaries give each layer's shape, activation, parameter count and offsets, worked out here by hand.</summary>
public sealed class SummaryTests
{
    [Fact]
    public void A_target_network_summary_lists_its_layers_and_total()
    {
        const string expected =
            "SineNet (target network): 1 input -> 1 output\n" +
            "Layer   Shape     Activation  Parameters  Offsets\n" +
            "Dense0  1 -> 40   Relu        80          [0, 80)\n" +
            "Dense1  40 -> 40  Relu        1,640       [80, 1720)\n" +
            "Dense2  40 -> 1   Identity    41          [1720, 1761)\n" +
            "Total parameters: 1,761\n";
        Assert.Equal(expected, SineNet.Summary);
        Assert.Equal(expected, Summary<SineNet>());
    }

    [Fact]
    public void A_hypernetwork_summary_gives_its_parts_its_target_and_the_size_ratio()
    {
        // θ = 1000 × 8 embeddings, 8 -> 64 (576), 64 -> 1761 (64 · 1761 + 1761 = 114,465): 123,041 = 69.87 × 1,761.
        const string expected =
            "SineHyper (hypernetwork): generates the 1,761 parameters of HyperDsl.Tests.Networks.SineNet (1 -> 1)\n" +
            "Conditioning: z = a learned embedding per task (1000 tasks × 8)\n" +
            "Chunking: none; the head emits all of W in one call per task\n" +
            "Layer            Shape       Activation  Parameters  Offsets\n" +
            "task embeddings  [1000 × 8]  -           8,000       [0, 8000)\n" +
            "Dense0           8 -> 64     Relu        576         [8000, 8576)\n" +
            "Head             64 -> 1761  Identity    114,465     [8576, 123041)\n" +
            "Total parameters: 123,041, 69.87 × the target's 1,761\n";
        Assert.Equal(expected, SineHyper.Summary);
    }

    [Fact]
    public void A_chunked_hypernetwork_summary_gives_the_chunking()
    {
        // 1761 = 29 · 60 + 21: 30 calls, 39 outputs dropped; θ = 800 + 544 + 1,980 + 240 = 3,564 = 2.024 × 1,761.
        Assert.Contains("Chunking: 30 head calls of 60 parameters per task, from [z ; chunk embedding of 8]; the last 39 outputs are dropped\n", ChunkedSineHyper.Summary);
        Assert.Contains("chunk embeddings  [30 × 8]   -           240         [3324, 3564)\n", ChunkedSineHyper.Summary);
        Assert.EndsWith("Total parameters: 3,564, 2.024 × the target's 1,761\n", ChunkedSineHyper.Summary);
    }

    private static string Summary<T>()
        where T : ITargetNetwork => T.Summary;
}
