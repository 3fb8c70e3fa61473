using System;
using System.Linq;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// The pipeline caches: after an edit that does not change a declaration, the second run reports every output as
/// Cached or Unchanged, so the IDE does not regenerate (and recompile) the network on each keystroke.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string Network = """
        using HyperDsl;

        namespace Demo;

        [TargetNetwork(inputs: 1)]
        [Dense(40, Activation.Relu)]
        [Dense(1)]
        public partial class SineNet;
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    [Fact]
    public void An_edit_in_another_file_leaves_every_step_cached()
    {
        GeneratorRunResult second = RunTwice(editNetworkFile: false, text => text.Replace("2 * x", "x + x"));
        AssertOutputsCachedOrUnchanged(second);
        AssertStep(second, GeneratorStepNames.TargetNetworks, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_comment_in_the_network_file_reparses_but_does_not_regenerate()
    {
        GeneratorRunResult second = RunTwice(editNetworkFile: true, text => text.Replace("namespace Demo;", "namespace Demo;\n\n// A comment that moves the class down.\n"));
        AssertStep(second, GeneratorStepNames.TargetNetworkSpecs, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertOutputsCachedOrUnchanged(second);
    }

    [Fact]
    public void A_changed_layer_regenerates()
    {
        // The control: the assertions above can fail, because a real change is seen as one.
        GeneratorRunResult second = RunTwice(editNetworkFile: true, text => text.Replace("Dense(40", "Dense(41"));
        Assert.Contains(
            second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
    }

    /// <summary>Runs the generator, edits one of the two files, runs it again on the same driver; returns the second run.</summary>
    private static GeneratorRunResult RunTwice(bool editNetworkFile, Func<string, string> edit)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation("Incremental", Network, Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        SyntaxTree tree = editNetworkFile ? compilation.SyntaxTrees.First() : compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            tree,
            CSharpSyntaxTree.ParseText(edit(tree.GetText().ToString()), GeneratorHarness.ParseOptions, tree.FilePath));
        return driver.RunGenerators(edited).GetRunResult().Results.Single();
    }

    private static void AssertOutputsCachedOrUnchanged(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"an output was {output.Reason}"));
    }

    private static void AssertStep(GeneratorRunResult result, string stepName, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(stepName, out var runs), $"step {stepName} was not tracked");
        var outputs = runs.SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Contains(output.Reason, allowed));
    }
}
