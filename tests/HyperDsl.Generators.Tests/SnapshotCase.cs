using System.Runtime.CompilerServices;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>One snapshot case: generate, require no error and only HD warnings, compare with the snapshot named for the test class.</summary>
internal static class SnapshotCase
{
    public static void Verify(string caseName, string source, int files, [CallerFilePath] string testFile = "")
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Snapshot", source));
        // Warnings (a Relu output) go to the snapshot of diagnostics; errors would mean no code.
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(files, result.GeneratedTrees.Length);
        Assert.DoesNotContain(GeneratorHarness.Problems(output), problem => !problem.Contains(": warning HD"));
        SnapshotAssert.Matches(result, caseName, testFile);
    }
}
