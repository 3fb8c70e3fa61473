using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HyperDsl.Generators.Tests.Docs;

/// <summary>How a documentation page's C# block is tested, as the HTML comment right above it says.</summary>
public enum DocBlockKind
{
    /// <summary><c>&lt;!-- doc-test: declarations --&gt;</c>: types only; compiled with every runnable block of the page.</summary>
    Declarations,

    /// <summary>
    /// <c>&lt;!-- doc-test: program NAME</c>, optional setup, <c>--&gt;</c>: one part of a program that the page builds
    /// up in order, run end to end.
    /// </summary>
    Program,

    /// <summary>
    /// <c>&lt;!-- doc-test: run</c>, optional lines of setup the page does not show, <c>--&gt;</c>: a snippet run on its
    /// own after the setup, with the page's declarations.
    /// </summary>
    Run,
}

/// <summary>One fenced C# block of a documentation page.</summary>
/// <param name="Page">The page's path, relative to the repository.</param>
/// <param name="Line">The line of the opening fence, from 1.</param>
/// <param name="Kind">How it is tested.</param>
/// <param name="Name">The program it belongs to (<see cref="DocBlockKind.Program"/>), else empty.</param>
/// <param name="Setup">Code the page does not show, run before the block (the data a reader brings, say).</param>
/// <param name="Code">The block's text.</param>
public sealed record DocBlock(string Page, int Line, DocBlockKind Kind, string Name, string Setup, string Code)
{
    public override string ToString() => $"{Page}:{Line}";
}

/// <summary>Reads the fenced C# blocks of Markdown pages and the doc-test comments above them.</summary>
public static partial class DocBlocks
{
    /// <summary>The pages whose C# blocks are tested (docs/diagnostics.md has tests of its own).</summary>
    public static readonly string[] Pages = ["README.md", "src/HyperDsl/PACKAGE.md", "docs/getting-started.md", "docs/attributes.md", "docs/api.md", "docs/checkpoints.md", "docs/generated-code.md"];

    /// <summary>Every C# block of a page; a block without a doc-test comment is reported with its line.</summary>
    public static IReadOnlyList<DocBlock> Read(string repositoryRoot, string page, List<string> unmarked)
    {
        string[] lines = File.ReadAllLines(Path.Combine(repositoryRoot, page));
        var blocks = new List<DocBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            string language = lines[i][3..].Trim();
            int open = i;
            int close = Array.FindIndex(lines, open + 1, line => line.StartsWith("```", StringComparison.Ordinal));
            if (close < 0)
            {
                throw new InvalidDataException($"{page}:{open + 1}: a fence is never closed.");
            }

            i = close;
            if (language is not ("csharp" or "cs" or "c#"))
            {
                continue;
            }

            string code = string.Join("\n", lines[(open + 1)..close]);
            string? comment = CommentAbove(lines, open);
            Match marker = comment is null ? Match.Empty : MarkerPattern().Match(comment);
            if (!marker.Success)
            {
                unmarked.Add($"{page}:{open + 1}");
                continue;
            }

            DocBlockKind kind = marker.Groups["kind"].Value switch
            {
                "declarations" => DocBlockKind.Declarations,
                "program" => DocBlockKind.Program,
                _ => DocBlockKind.Run,
            };
            blocks.Add(new DocBlock(page, open + 1, kind, marker.Groups["name"].Value.Trim(), marker.Groups["setup"].Value.Trim(), code));
        }

        return blocks;
    }

    /// <summary>The HTML comment that ends on the line right above <paramref name="fence"/>, or null.</summary>
    private static string? CommentAbove(string[] lines, int fence)
    {
        int end = fence - 1;
        if (end < 0 || !lines[end].TrimEnd().EndsWith("-->", StringComparison.Ordinal))
        {
            return null;
        }

        int start = end;
        while (start >= 0 && !lines[start].Contains("<!--", StringComparison.Ordinal))
        {
            start--;
        }

        return start < 0 ? null : string.Join("\n", lines[start..(end + 1)]);
    }

    [GeneratedRegex(@"<!--\s*doc-test:\s*(?<kind>declarations|program|run)(?<name>[^\n]*?)(?:\n(?<setup>[\s\S]*?))?\s*-->")]
    private static partial Regex MarkerPattern();
}
