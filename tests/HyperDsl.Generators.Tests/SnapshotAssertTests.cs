using System;
using System.IO;
using System.Linq;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Sdk;

namespace HyperDsl.Generators.Tests;

/// <summary>The snapshot harness itself: it passes on equal text, and on a difference fails with a diff and a received file.</summary>
public sealed class SnapshotAssertTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hyperdsl-snapshots-" + Guid.NewGuid().ToString("N"));

    private string Snapshots => Path.Combine(directory, "Snapshots");

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_difference_fails_with_a_diff_and_writes_the_received_file()
    {
        GeneratorDriverRunResult result = Generate("[TargetNetwork(1)] [Dense(3)] public partial class Net;");
        string text = result.GeneratedTrees.Single().GetText().ToString();
        string verified = Path.Combine(Snapshots, "FakeTests.Case#Net.g.verified.cs");
        Directory.CreateDirectory(Snapshots);
        File.WriteAllText(verified, text.Replace("public const int OutputSize = 3;", "public const int OutputSize = 4;"));

        var failure = Assert.Throws<XunitException>(() => SnapshotAssert.Matches(result, "Case", accept: false, Snapshots, "FakeTests"));
        Assert.Matches(@"(?m)^- +public const int OutputSize = 4;$", failure.Message);
        Assert.Matches(@"(?m)^\+ +public const int OutputSize = 3;$", failure.Message);
        string received = Path.Combine(Snapshots, "FakeTests.Case#Net.g.received.cs");
        Assert.Equal(text, File.ReadAllText(received));

        // Once the verified file holds the text, the same check passes and the received file is gone.
        File.WriteAllText(verified, text);
        SnapshotAssert.Matches(result, "Case", accept: false, Snapshots, "FakeTests");
        Assert.False(File.Exists(received));
    }

    [Fact]
    public void A_missing_snapshot_fails_and_diagnostics_get_a_text_snapshot()
    {
        GeneratorDriverRunResult result = Generate("[TargetNetwork(0)] [Dense(3)] public partial class Net;");
        var failure = Assert.Throws<XunitException>(() => SnapshotAssert.Matches(result, "Broken", accept: false, Snapshots, "FakeTests"));
        Assert.Contains("FakeTests.Broken#diagnostics.verified.txt does not exist", failure.Message);
        string received = File.ReadAllText(Path.Combine(Snapshots, "FakeTests.Broken#diagnostics.received.txt"));
        Assert.StartsWith("HD0005 Error Source0.cs(2,16-2,17): ", received);
    }

    [Fact]
    public void A_snapshot_the_generator_no_longer_produces_fails()
    {
        GeneratorDriverRunResult result = Generate("[TargetNetwork(1)] [Dense(3)] public partial class Net;");
        Directory.CreateDirectory(Snapshots);
        File.WriteAllText(Path.Combine(Snapshots, "FakeTests.Case#Net.g.verified.cs"), result.GeneratedTrees.Single().GetText().ToString());
        File.WriteAllText(Path.Combine(Snapshots, "FakeTests.Case#Old.g.verified.cs"), "// gone");
        var failure = Assert.Throws<XunitException>(() => SnapshotAssert.Matches(result, "Case", accept: false, Snapshots, "FakeTests"));
        Assert.Contains("FakeTests.Case#Old.g.verified.cs: the generator no longer produces this file", failure.Message);
    }

    private static GeneratorDriverRunResult Generate(string declaration)
        => GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Fake", "using HyperDsl;\n" + declaration)).Result;
}
