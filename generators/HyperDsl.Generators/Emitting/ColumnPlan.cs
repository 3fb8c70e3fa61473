using System.Collections.Generic;

namespace HyperDsl.Generators.Emitting;

/// <summary>A run of columns held in one register: its offset from the start of its block, and the register kind.</summary>
internal sealed record Segment(int Offset, VectorKind Kind)
{
    public int End => Offset + Kind.Lanes;
}

/// <summary>Columns computed together in one micro-tile: <c>[Start, Start + Width)</c>, split into segments.</summary>
internal sealed record ColumnBlock(int Start, IReadOnlyList<Segment> Segments)
{
    public int Width => Segments.Count == 0 ? 0 : Segments[Segments.Count - 1].End;
}

/// <summary>
/// How a kernel covers a row of <c>width</c> columns on one <see cref="VectorTier"/>: uniform blocks of full
/// registers (in a loop with a constant bound when there are two or more), then the rest unrolled with constant
/// offsets — the remaining full registers, at most one of each narrower register, and scalars only for fewer columns
/// than the narrowest register holds. No column is computed twice, so the plan serves accumulating stores as well.
/// </summary>
internal sealed class ColumnPlan
{
    private ColumnPlan(int width, ColumnBlock? loopBody, int loopEnd, IReadOnlyList<ColumnBlock> unrolled)
    {
        Width = width;
        LoopBody = loopBody;
        LoopEnd = loopEnd;
        Unrolled = unrolled;
    }

    public int Width { get; }

    /// <summary>The block run by <c>for (j = 0; j &lt; LoopEnd; j += LoopBody.Width)</c>, offsets relative to j; or null.</summary>
    public ColumnBlock? LoopBody { get; }

    public int LoopEnd { get; }

    /// <summary>Blocks at constant offsets, after the loop.</summary>
    public IReadOnlyList<ColumnBlock> Unrolled { get; }

    public static ColumnPlan Create(int width, VectorTier tier) => Create(width, tier, tier.ColumnVectors);

    /// <summary>A plan whose blocks hold at most <paramref name="perBlock"/> registers.</summary>
    public static ColumnPlan Create(int width, VectorTier tier, int perBlock)
    {
        int lanes = tier.Full.Lanes;
        int fullCount = width / lanes;
        int uniformBlocks = fullCount / perBlock;

        ColumnBlock? loopBody = null;
        int loopEnd = 0;
        var unrolled = new List<ColumnBlock>();
        if (uniformBlocks >= 2)
        {
            loopBody = new ColumnBlock(0, FullSegments(perBlock, tier.Full));
            loopEnd = uniformBlocks * perBlock * lanes;
        }
        else if (uniformBlocks == 1)
        {
            unrolled.Add(new ColumnBlock(0, FullSegments(perBlock, tier.Full)));
        }

        int start = uniformBlocks * perBlock * lanes;
        var tail = new List<(int Column, VectorKind Kind)>();
        int column = start;
        for (int k = uniformBlocks * perBlock; k < fullCount; k++, column += lanes)
        {
            tail.Add((column, tier.Full));
        }

        foreach (VectorKind kind in tier.Narrower)
        {
            if (width - column >= kind.Lanes)
            {
                tail.Add((column, kind));
                column += kind.Lanes;
            }
        }

        for (; column < width; column++)
        {
            tail.Add((column, VectorKind.Scalar));
        }

        // The tail in blocks of at most one tile's worth of registers, so the accumulators stay in registers.
        for (int first = 0; first < tail.Count; first += perBlock)
        {
            int blockStart = tail[first].Column;
            var segments = new List<Segment>();
            for (int s = first; s < tail.Count && s < first + perBlock; s++)
            {
                segments.Add(new Segment(tail[s].Column - blockStart, tail[s].Kind));
            }

            unrolled.Add(new ColumnBlock(blockStart, segments));
        }

        return new ColumnPlan(width, loopBody, loopEnd, unrolled);
    }

    private static IReadOnlyList<Segment> FullSegments(int count, VectorKind kind)
    {
        var segments = new Segment[count];
        for (int s = 0; s < count; s++)
        {
            segments[s] = new Segment(s * kind.Lanes, kind);
        }

        return segments;
    }
}
