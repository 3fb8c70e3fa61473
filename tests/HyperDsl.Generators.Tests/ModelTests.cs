using System;
using System.Linq;
using HyperDsl.Generators.Emitting;
using HyperDsl.Generators.Model;
using Xunit;

namespace HyperDsl.Generators.Tests;

public sealed class ModelTests
{
    [Fact]
    public void The_generator_enum_mirrors_the_runtime_Activation()
    {
        Assert.Equal(
            Enum.GetValues<Activation>().Select(a => (a.ToString(), (int)a)),
            Enum.GetValues<ActivationKind>().Select(a => (a.ToString(), (int)a)));
        Assert.Equal(ActivationKindExtensions.Count, Enum.GetValues<Activation>().Length);
    }

    [Fact]
    public void Column_plans_cover_every_column_exactly_once_with_no_scalar_where_a_vector_fits()
    {
        foreach (VectorTier tier in VectorTier.All)
        {
            int smallestVector = tier.Full.IsScalar ? 1 : tier.Narrower.Append(tier.Full).Min(kind => kind.Lanes);
            for (int width = 1; width <= 300; width++)
            {
                ColumnPlan plan = ColumnPlan.Create(width, tier);
                var covered = new int[width];
                int scalars = 0;
                if (plan.LoopBody is { } body)
                {
                    Assert.Equal(0, plan.LoopEnd % body.Width);
                    for (int j = 0; j < plan.LoopEnd; j += body.Width)
                    {
                        foreach (Segment segment in body.Segments)
                        {
                            Mark(covered, j + segment.Offset, segment.Kind.Lanes);
                        }
                    }
                }

                foreach (ColumnBlock block in plan.Unrolled)
                {
                    Assert.True(block.Segments.Count <= tier.ColumnVectors, $"{tier.Name} width {width}: a block of {block.Segments.Count} registers");
                    foreach (Segment segment in block.Segments)
                    {
                        Mark(covered, block.Start + segment.Offset, segment.Kind.Lanes);
                        scalars += segment.Kind.IsScalar && !tier.Full.IsScalar ? 1 : 0;
                    }
                }

                Assert.True(covered.All(count => count == 1), $"{tier.Name} width {width}: columns covered {string.Join(",", covered)}");
                Assert.True(scalars < smallestVector, $"{tier.Name} width {width}: {scalars} scalar columns where a vector of {smallestVector} fits");
            }
        }
    }

    [Fact]
    public void Layout_follows_the_contract()
    {
        var layers = new[]
        {
            LayerSpec.Dense("Dense0", 1, 40, ActivationKind.Relu),
            LayerSpec.Dense("Dense1", 40, 40, ActivationKind.Gelu),
            LayerSpec.Dense("Dense2", 40, 1, ActivationKind.Identity),
        };
        TargetLayout layout = TargetLayout.TryCreate(1, layers, out string? overflow)!;
        Assert.Null(overflow);
        Assert.Equal(1761, layout.ParameterCount);
        Assert.Equal(new[] { 0, 80, 1720 }, layout.Layers.Select(l => l.WeightsOffset));
        Assert.Equal(new[] { 40, 1680, 1760 }, layout.Layers.Select(l => l.BiasOffset));

        // Gelu's derivative needs z, so the workspace keeps Dense1's z and f(z); the identity output keeps nothing.
        Assert.Equal(new[] { -1, 40, -1 }, layout.Layers.Select(l => l.PreActivationSlot));
        Assert.Equal(new[] { 0, 80, -1 }, layout.Layers.Select(l => l.ActivationSlot));
        Assert.Equal(120, layout.WorkspacePerSample);
    }

    [Fact]
    public void A_layout_that_does_not_fit_in_an_int_is_refused()
    {
        var layers = new[] { LayerSpec.Dense("Dense0", 50000, 50000, ActivationKind.Identity) };
        Assert.Null(TargetLayout.TryCreate(50000, layers, out string? overflow));
        Assert.Equal("ParameterCount", overflow);
    }

    private static void Mark(int[] covered, int start, int lanes)
    {
        for (int c = start; c < start + lanes; c++)
        {
            covered[c]++;
        }
    }
}
