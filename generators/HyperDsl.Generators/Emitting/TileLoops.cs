using System;

namespace HyperDsl.Generators.Emitting;

/// <summary>
/// The two ways a kernel walks a dimension whose size is a compile-time constant: a loop with a constant bound over
/// uniform tiles when there are two or more of them, else straight-line code, then the remainder at constant offsets.
/// </summary>
internal static class TileLoops
{
    /// <summary>Columns by a <see cref="ColumnPlan"/>; <paramref name="emitBlock"/> gets the block and its start (<c>j</c> in the loop).</summary>
    public static void Columns(CodeWriter writer, ColumnPlan plan, Action<ColumnBlock, string> emitBlock)
    {
        if (plan.LoopBody is { } body)
        {
            writer.Line($"// Columns [0, {plan.LoopEnd}) in blocks of {body.Width}.");
            using (writer.Open($"for (int j = 0; j < {plan.LoopEnd}; j += {body.Width})"))
            {
                emitBlock(body, "j");
            }
        }

        foreach (ColumnBlock block in plan.Unrolled)
        {
            using (writer.OpenScope($"columns [{block.Start}, {block.Start + block.Width})"))
            {
                emitBlock(block, block.Start.ToString());
            }
        }
    }

    /// <summary>
    /// The inputs <c>[inputStart, inputEnd)</c>, bounds known only at run time: <paramref name="perTile"/> at a time, then
    /// one at a time; <paramref name="emitTile"/> gets the tile's size and its first input (<c>i</c>).
    /// </summary>
    public static void InputRange(CodeWriter writer, int perTile, string noun, Action<int, string> emitTile)
    {
        writer.Line("int i = inputStart;");
        using (writer.Open($"for (; i <= inputEnd - {perTile}; i += {perTile})"))
        {
            emitTile(perTile, "i");
        }

        writer.Line($"// The remaining {noun.ToLowerInvariant()} one at a time.");
        using (writer.Open("for (; i < inputEnd; i++)"))
        {
            emitTile(1, "i");
        }
    }

    /// <summary>
    /// The inputs of a layer <paramref name="perTile"/> at a time; <paramref name="emitTile"/> gets the tile's size and
    /// its first input (<c>i</c> in the loop).
    /// </summary>
    public static void Inputs(CodeWriter writer, int inputs, int perTile, string noun, Action<int, string> emitTile)
    {
        int fullTiles = inputs / perTile;
        int remainder = inputs % perTile;
        if (fullTiles >= 2)
        {
            writer.Line($"// {noun} [0, {fullTiles * perTile}), {perTile} at a time.");
            using (writer.Open($"for (int i = 0; i < {fullTiles * perTile}; i += {perTile})"))
            {
                emitTile(perTile, "i");
            }
        }
        else if (fullTiles == 1)
        {
            using (writer.OpenScope($"{noun.ToLowerInvariant()} [0, {perTile})"))
            {
                emitTile(perTile, "0");
            }
        }

        if (remainder > 0)
        {
            int first = fullTiles * perTile;
            using (writer.OpenScope($"{noun.ToLowerInvariant()} [{first}, {inputs})"))
            {
                emitTile(remainder, first.ToString());
            }
        }
    }
}
