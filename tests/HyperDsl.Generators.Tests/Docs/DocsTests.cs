using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using HyperDsl.Generators.Diagnostics;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Generators.Tests.Docs;

/// <summary>
/// The documentation is executable: every C# block of the README, the package readme and docs/ compiles as written
/// in a new console project and runs; the getting-started page runs end to end and gives what it promises; every
/// example of docs/diagnostics.md reports the diagnostic it shows, and its fix compiles cleanly.
/// </summary>
[Collection(DocsCollection.Name)]
public sealed class DocsTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Snippets
        => DocBlocks.Pages
            .SelectMany(page => DocBlocks.Read(TestProject.RepositoryRoot, page, []))
            .Where(block => block.Kind == DocBlockKind.Run)
            .Select(block => new object[] { block.Page, block.Line });

    public static IEnumerable<object[]> Programs
        => DocBlocks.Pages
            .SelectMany(page => DocBlocks.Read(TestProject.RepositoryRoot, page, []))
            .Where(block => block.Kind == DocBlockKind.Program)
            .Select(block => (block.Page, block.Name))
            .Distinct()
            .Select(program => new object[] { program.Page, program.Name });

    [Fact]
    public void Every_csharp_block_says_how_it_is_tested()
    {
        var unmarked = new List<string>();
        int blocks = DocBlocks.Pages.Sum(page => DocBlocks.Read(TestProject.RepositoryRoot, page, unmarked).Count);
        Assert.True(unmarked.Count == 0, $"C# blocks without a <!-- doc-test: ... --> comment above them: {string.Join(", ", unmarked)}");
        Assert.True(blocks >= 10, $"only {blocks} C# blocks found");
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_snippet_compiles_and_runs_as_written(string page, int line)
    {
        IReadOnlyList<DocBlock> blocks = DocBlocks.Read(TestProject.RepositoryRoot, page, []);
        DocBlock block = blocks.Single(b => b.Line == line);
        var parts = new List<(string, string)>();
        if (block.Setup.Length > 0)
        {
            parts.Add(($"{block} (setup in its doc-test comment)", block.Setup));
        }

        parts.Add((block.ToString(), block.Code));
        Assembly program = DocProgram.Compile(block.ToString(), parts, Declarations(blocks));
        output.WriteLine(DocProgram.Run(block.ToString(), program));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void A_program_compiles_and_runs_end_to_end(string page, string name)
    {
        string printed = RunProgram(page, name);
        output.WriteLine(printed);
    }

    [Fact]
    public void The_getting_started_program_gives_what_the_page_promises()
    {
        string printed = RunProgram("docs/getting-started.md", "lines");
        output.WriteLine(printed);

        // "≈ 0.5 for slope 1", and a slope never seen in training predicted from 5 points.
        double trained = Number(printed, @"task 3 at x = 0\.5: (?<v>\S+)");
        Assert.InRange(trained, 0.45, 0.55);
        double unseen = Number(printed, @"query MSE (?<v>\S+)");
        Assert.True(unseen < 0.01, $"the unseen slope's query MSE is {unseen}");
        Assert.Contains("same weights after reload: True", printed);
    }

    [Fact]
    public void Every_diagnostic_example_reports_its_diagnostic_and_its_fix_compiles_cleanly()
    {
        // The types the examples name without declaring them.
        const string Context = """
            namespace DocsContext
            {
                using HyperDsl;

                [TargetNetwork(inputs: 1)] [Dense(40, Activation.Relu)] [Dense(40, Activation.Relu)] [Dense(1)] public partial class SineNet;
                [TargetNetwork(inputs: 64)] [Dense(256, Activation.Relu)] [Dense(256, Activation.Relu)] [Dense(10)] public partial class BigNet;
                [TargetNetwork(inputs: 1)] [Dense(1)] public partial class Other;
                [TargetNetwork(inputs: 4)] [Dense(8, Activation.Relu, Shared = true)] [Dense(1, Shared = true)] public partial class AllShared;
                [TargetNetwork(inputs: 4)] [Dense(8, Activation.Relu, Shared = true)] [Dense(1)] public partial class HeadGenerated;
                [TargetNetwork(inputs: 2)] [Dense(32, Activation.Relu)] [Dense(8)] public partial class SinePairEncoder;
                public class MyBase { }
                public interface IMyFeature { }
            }
            """;
        string docs = File.ReadAllText(Path.Combine(TestProject.RepositoryRoot, "docs", "diagnostics.md"));
        int examples = 0;
        foreach (Match section in Regex.Matches(docs, @"^## (?<id>HD\d{4})\n(?<body>[\s\S]*?)(?=^## |\z)", RegexOptions.Multiline))
        {
            string id = section.Groups["id"].Value;
            foreach (Match block in Regex.Matches(section.Groups["body"].Value, @"```csharp\n(?<code>[\s\S]*?)```"))
            {
                foreach ((string code, string expected) in Examples(block.Groups["code"].Value))
                {
                    examples++;
                    string source = $"using HyperDsl;\nusing DocsContext;\n{code}";
                    var (result, compiled) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Diagnostics", source, Context));
                    string[] reported = result.Diagnostics.Select(d => d.Id).ToArray();
                    if (expected == "fixed")
                    {
                        Assert.True(reported.Length == 0 && !compiled.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error),
                            $"{id}: the fixed example reports {string.Join(", ", reported)}{string.Join("\n", compiled.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))}:\n{code}");
                    }
                    else
                    {
                        Assert.True(expected == id, $"{id}'s section shows an example of {expected}");
                        Assert.True(reported.Contains(id), $"{id}: the example reports {string.Join(", ", reported)} instead:\n{code}");
                    }
                }
            }
        }

        Assert.True(examples >= 2 * DiagnosticDescriptors.ById.Count, $"{examples} examples for {DiagnosticDescriptors.ById.Count} diagnostics");
    }

    [Fact]
    public void Every_help_link_leads_to_its_heading()
    {
        string docs = File.ReadAllText(Path.Combine(TestProject.RepositoryRoot, "docs", "diagnostics.md"));
        var anchors = Regex.Matches(docs, "^#+ (?<title>.+)$", RegexOptions.Multiline).Select(m => GitHubAnchor(m.Groups["title"].Value)).ToHashSet();
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.ById.Values)
        {
            string anchor = descriptor.HelpLinkUri[(descriptor.HelpLinkUri.IndexOf('#', StringComparison.Ordinal) + 1)..];
            Assert.True(anchors.Contains(anchor), $"{descriptor.Id}'s help link #{anchor} is no heading's anchor");
        }
    }

    /// <summary>The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string GitHubAnchor(string title)
        => Regex.Replace(title.Trim().ToLowerInvariant(), @"[^\p{L}\p{N}\s_-]", string.Empty).Replace(' ', '-');

    /// <summary>
    /// A diagnostics block cut into its examples: each runs up to a line whose comment names what it shows, an ID
    /// (<c>// HD0001</c>) or <c>// fixed</c>.
    /// </summary>
    private static IEnumerable<(string Code, string Expected)> Examples(string block)
    {
        var lines = new List<string>();
        foreach (string line in block.Split('\n'))
        {
            lines.Add(line);
            Match marker = Regex.Match(line, @"//\s*(?<what>HD\d{4}|fixed)");
            if (marker.Success)
            {
                yield return (string.Join("\n", lines), marker.Groups["what"].Value);
                lines.Clear();
            }
        }
    }

    private static string RunProgram(string page, string name)
    {
        IReadOnlyList<DocBlock> blocks = DocBlocks.Read(TestProject.RepositoryRoot, page, []);
        List<DocBlock> program = blocks.Where(b => b.Kind == DocBlockKind.Program && b.Name == name).ToList();
        Assert.NotEmpty(program);
        string what = $"{page}, program '{name}'";
        var parts = new List<(string, string)>();
        foreach (DocBlock block in program)
        {
            if (block.Setup.Length > 0)
            {
                parts.Add(($"{block} (setup in its doc-test comment)", block.Setup));
            }

            parts.Add((block.ToString(), block.Code));
        }

        Assembly assembly = DocProgram.Compile(what, parts, Declarations(blocks));
        return DocProgram.Run(what, assembly);
    }

    private static List<DocBlock> Declarations(IReadOnlyList<DocBlock> blocks) => blocks.Where(b => b.Kind == DocBlockKind.Declarations).ToList();

    private static double Number(string text, string pattern)
    {
        Match match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"the program did not print /{pattern}/:\n{text}");
        return double.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture);
    }
}

/// <summary>The documentation tests run alone: they redirect the console and change the working folder.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocsCollection
{
    public const string Name = "Docs";
}
