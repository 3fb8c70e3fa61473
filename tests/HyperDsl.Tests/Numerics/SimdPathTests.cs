using System;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace HyperDsl.Tests.Numerics;

/// <summary>
/// Says which vector widths this test run executes, and fails when they are not what the runtime settings ask for —
/// so that a run meant to exercise a fallback path really does.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class SimdPathTests(ITestOutputHelper output)
{
    /// <summary>Set by the CI script for each run: 512, 256, 128 or none.</summary>
    public const string ExpectedWidestVariable = "HYPERDSL_EXPECTED_WIDEST_VECTOR";

    public static string WidestAccelerated
        => Vector512.IsHardwareAccelerated ? "512"
            : Vector256.IsHardwareAccelerated ? "256"
            : Vector128.IsHardwareAccelerated ? "128"
            : "none";

    [Fact]
    public void Accelerated_vector_widths_follow_the_runtime_settings()
    {
        output.WriteLine(
            $"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
            $"Vector128 {Vector128.IsHardwareAccelerated}: generated kernels run the {WidestAccelerated} path.");

        if (Disabled("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        if (Disabled("DOTNET_EnableAVX2"))
        {
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        if (Disabled("DOTNET_EnableAVX512"))
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        string? expected = Environment.GetEnvironmentVariable(ExpectedWidestVariable);
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, WidestAccelerated);
        }
    }

    private static bool Disabled(string variable) => Environment.GetEnvironmentVariable(variable) == "0";
}
