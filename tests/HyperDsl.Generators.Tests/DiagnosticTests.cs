using System.Linq;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// An invalid declaration gets one HD error at the attribute argument or identifier at fault, and no generated code;
/// valid networks in the same compilation are still generated.
/// </summary>
public sealed class DiagnosticTests
{
    [Theory]
    [InlineData("HD0001", 0, "[TargetNetwork(1)] [Dense(2)] public class [|NotPartial|];")]
    [InlineData("HD0002", 0, "public class [|Outer|] { [TargetNetwork(1)] [Dense(2)] public partial class Inner; }")]
    [InlineData("HD0003", 0, "[TargetNetwork(1)] [Dense(2)] public partial class [|Generic|]<T>;")]
    [InlineData("HD0004", 0, "[TargetNetwork(1)] public partial class [|Empty|];")]
    [InlineData("HD0005", 0, "[TargetNetwork([|0|])] [Dense(2)] public partial class NoInputs;")]
    [InlineData("HD0005", 0, "[TargetNetwork(inputs: [|-3|])] [Dense(2)] public partial class NegativeInputs;")]
    [InlineData("HD0006", 0, "[TargetNetwork(1)] [Dense(4)] [Dense([|0|], Activation.Relu)] public partial class NoUnits;")]
    [InlineData("HD0007", 0, "[TargetNetwork(1)] [Dense(4, [|(Activation)42|])] public partial class BadActivation;")]
    [InlineData("HD0008", 0, "[TargetNetwork(1)] [Dense(4, Name = [|\"not valid\"|])] public partial class BadName;")]
    [InlineData("HD0009", 0, "[TargetNetwork(1)] [Dense(4, Name = \"Hidden\")] [Dense(2, Name = [|\"Hidden\"|])] public partial class Twice;")]
    [InlineData("HD0009", 0, "[TargetNetwork(1)] [Dense(4, Name = \"Dense1\")] [[|Dense(2)|]] public partial class Clash;")]
    [InlineData("HD0010", 0, "[TargetNetwork(1)] [Dense(4)] public partial class [|Split|]; [Dense(2)] public partial class Split;")]
    [InlineData("HD0011", 0, "[TargetNetwork(1)] [Dense(50000)] [Dense(50000)] public partial class [|Huge|];")]
    [InlineData("HD0012", 0, "[TargetNetwork(1)] [Dense(2)] public static partial class [|Static|];")]
    [InlineData("HD0013", 1, "[TargetNetwork(1)] [HyperNetwork(typeof(T), Tasks = 2, EmbeddingSize = 2)] [Dense(2)] public partial class [|Both|]; [TargetNetwork(1)] [Dense(1)] public partial class T;")]
    [InlineData("HD0014", 0, "[HyperNetwork([|typeof(string)|], Tasks = 2, EmbeddingSize = 2)] public partial class H;")]
    [InlineData("HD0014", 0, "[HyperNetwork([|typeof(Missing)|], Tasks = 2, EmbeddingSize = 2)] public partial class H;")]
    [InlineData("HD0015", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [[|HyperNetwork(typeof(T))|]] public partial class H;")]
    [InlineData("HD0016", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), Tasks = [|5|], ConditionSize = 2)] public partial class H;")]
    [InlineData("HD0017", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, ChunkEmbeddingSize = [|3|])] public partial class H;")]
    [InlineData("HD0018", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = [|-2|])] public partial class H;")]
    [InlineData("HD0023", 0, "[TargetNetwork(1)] [Dense(2)] public partial class [|Forward|];")]
    [InlineData("HD0023", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] public partial class [|Generate|];")]
    [InlineData("HD0024", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] public partial class H : [|System.Attribute|];")]
    [InlineData("HD0025", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] public partial record [|H|];")]
    [InlineData("HD0019", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] [Dense(3, Name = [|\"Head\"|])] public partial class H;")]
    [InlineData("HD0026", 0, "[[|TargetNetwork|]] [Dense(1)] public partial class NoInput;")]
    [InlineData("HD0026", 0, "[[|TargetNetwork(4, Channels = 1, Height = 2, Width = 2)|]] [Dense(1)] public partial class BothInputs;")]
    [InlineData("HD0026", 0, "[[|TargetNetwork(Channels = 1, Height = 0, Width = 2)|]] [Dense(1)] public partial class EmptyImage;")]
    [InlineData("HD0027", 0, "[TargetNetwork(16)] [[|Conv2D(2, 3)|]] [Dense(1)] public partial class ConvOnVector;")]
    [InlineData("HD0027", 0, "[TargetNetwork(Channels = 1, Height = 8, Width = 8)] [Dense(4)] [[|MaxPool2D(2)|]] public partial class PoolAfterDense;")]
    [InlineData("HD0027", 0, "[TargetNetwork(Channels = 1, Height = 8, Width = 8)] [GlobalAvgPool2D] [[|GlobalAvgPool2D|]] [Dense(1)] public partial class GlobalTwice;")]
    [InlineData("HD0028", 0, "[TargetNetwork(Channels = 1, Height = 4, Width = 6)] [Conv2D(2, [|5|])] [Dense(1)] public partial class KernelTooLarge;")]
    [InlineData("HD0028", 0, "[TargetNetwork(Channels = 1, Height = 4, Width = 4)] [Conv2D(2, [|0|], Padding = Padding.Same)] [Dense(1)] public partial class NoKernel;")]
    [InlineData("HD0028", 0, "[TargetNetwork(Channels = 1, Height = 4, Width = 4)] [AvgPool2D([|5|])] [Dense(1)] public partial class PoolTooLarge;")]
    [InlineData("HD0029", 0, "[TargetNetwork(Channels = 1, Height = 8, Width = 8)] [Conv2D(2, 3, Stride = [|0|])] [Dense(1)] public partial class NoStride;")]
    [InlineData("HD0030", 0, "[TargetNetwork(Channels = 1, Height = 8, Width = 8)] [Conv2D(2, 3, Padding = [|(Padding)5|])] [Dense(1)] public partial class BadPadding;")]
    [InlineData("HD0031", 0, "[TargetNetwork(Channels = 3, Height = 8, Width = 8)] [Conv2D(3, 3, Residual = [|true|])] [Dense(1)] public partial class ValidShrinks;")]
    [InlineData("HD0031", 0, "[TargetNetwork(4)] [Dense(5, Activation.Tanh, Residual = [|true|])] [Dense(1)] public partial class Widens;")]
    [InlineData("HD0033", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] [[|Dense(3, Residual = true)|]] public partial class H;")]
    [InlineData("HD0033", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] [[|LayerNorm|]] public partial class H;")]
    [InlineData("HD0034", 1, "[TargetNetwork(1)] [Dense(1, Shared = true)] public partial class T; [[|HyperNetwork(typeof(T), ConditionSize = 2)|]] public partial class H;")]
    [InlineData("HD0035", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), Encoder = [|typeof(string)|])] public partial class H;")]
    [InlineData("HD0035", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), Encoder = [|typeof(Missing)|])] public partial class H;")]
    [InlineData("HD0036", 2, "[TargetNetwork(1)] [Dense(1)] public partial class T; [TargetNetwork(3)] [Dense(4)] public partial class E; [HyperNetwork(typeof(T), Encoder = [|typeof(E)|])] public partial class H;")]
    [InlineData("HD0036", 2, "[TargetNetwork(1)] [Dense(1)] public partial class T; [TargetNetwork(Channels = 1, Height = 1, Width = 2)] [Dense(4)] public partial class E; [HyperNetwork(typeof(T), Encoder = [|typeof(E)|])] public partial class H;")]
    [InlineData("HD0037", 2, "[TargetNetwork(1)] [Dense(1)] public partial class T; [TargetNetwork(2)] [Dense(4, Shared = true)] [Dense(3)] public partial class E; [HyperNetwork(typeof(T), Tasks = 2, EmbeddingSize = 2, Encoder = [|typeof(E)|])] public partial class H;")]
    [InlineData("HD0038", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] [[|SetAttention(2, 8)|]] public partial class H;")]
    [InlineData("HD0038", 0, "[TargetNetwork(2)] [Dense(4)] [[|SetAttention(2, 8)|]] public partial class T;")]
    [InlineData("HD0039", 2, "[TargetNetwork(1)] [Dense(1)] public partial class T; [TargetNetwork(2)] [Dense(4)] public partial class E; [HyperNetwork(typeof(T), Encoder = typeof(E))] [[|SetAttention(0, 8)|]] public partial class H;")]
    [InlineData("HD0040", 2, "[TargetNetwork(1)] [Dense(1)] public partial class T; [TargetNetwork(2)] [Dense(6)] public partial class E; [HyperNetwork(typeof(T), Encoder = typeof(E))] [SetAttention([|4|], 8)] public partial class H;")]
    [InlineData("HD0041", 1, "[TargetNetwork(1)] [Dense(1)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2)] [Dense(4)] [[|SelfAttention(2, 8)|]] public partial class H;")]
    [InlineData("HD0041", 0, "[TargetNetwork(2)] [Dense(4)] [[|SelfAttention(2, 8)|]] public partial class T;")]
    [InlineData("HD0042", 1, "[TargetNetwork(1)] [Dense(2)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, ChunkSize = 2, ChunkEmbeddingSize = 2)] [[|SelfAttention(2, 8)|]] public partial class H;")]
    [InlineData("HD0040", 1, "[TargetNetwork(1)] [Dense(2)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, ChunkSize = 2, ChunkEmbeddingSize = 2)] [Dense(6)] [SelfAttention([|4|], 8)] public partial class H;")]
    [InlineData("HD0043", 1, "[TargetNetwork(1)] [Dense(2)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, GeneratedOrder = [|(ParameterOrder)2|])] public partial class H;")]
    public void An_invalid_declaration_gets_one_error_at_the_fault_and_no_code(string id, int validNetworks, string marked)
    {
        string source = "using HyperDsl;\n" + marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        int start = marked.IndexOf("[|") + "using HyperDsl;\n".Length;
        int length = marked.IndexOf("|]") - marked.IndexOf("[|") - 2;

        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Diagnostics", source));

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(source.Substring(start, length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(validNetworks, result.GeneratedTrees.Length);
        Assert.StartsWith("https://", diagnostic.Descriptor.HelpLinkUri);
    }

    [Theory]
    [InlineData("HD0020", 1, "[TargetNetwork(1)] [Dense(4, Activation.Tanh)] [Dense(2, [|Activation.Relu|])] public partial class ReluOut;")]
    [InlineData("HD0021", 2, "[TargetNetwork(1)] [Dense(2)] public partial class T; [[|HyperNetwork(typeof(T), Tasks = 2, EmbeddingSize = 2)|]] [Dense(200)] public partial class H;")]
    [InlineData("HD0022", 2, "[TargetNetwork(1)] [Dense(2)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, ChunkSize = [|9|], ChunkEmbeddingSize = 2)] public partial class H;")]
    [InlineData("HD0022", 2, "[TargetNetwork(2)] [Dense(8, Shared = true)] [Dense(2)] public partial class T; [HyperNetwork(typeof(T), ConditionSize = 2, ChunkSize = [|20|], ChunkEmbeddingSize = 2)] public partial class H;")]
    [InlineData("HD0032", 1, "[TargetNetwork(Channels = 2, Height = 7, Width = 8)] [MaxPool2D([|2|])] [Dense(1)] public partial class DropsARow;")]
    public void A_likely_mistake_gets_a_warning_and_the_code_is_still_generated(string id, int files, string marked)
    {
        string source = "using HyperDsl;\n" + marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        int start = marked.IndexOf("[|") + "using HyperDsl;\n".Length;
        int length = marked.IndexOf("|]") - marked.IndexOf("[|") - 2;

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Warnings", source));

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(source.Substring(start, length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(files, result.GeneratedTrees.Length);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void The_sinusoid_hypernetwork_draws_no_warning()
    {
        // A 64-unit body: the head is 65 times the target, under the factor of HD0021.
        const string source = """
            using HyperDsl;
            [TargetNetwork(1)] [Dense(40, Activation.Relu)] [Dense(40, Activation.Relu)] [Dense(1)] public partial class SineNet;
            [HyperNetwork(typeof(SineNet), Tasks = 1000, EmbeddingSize = 8)] [Dense(64, Activation.Relu)] public partial class SineHyper;
            """;
        Assert.Empty(GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Quiet", source)).Result.Diagnostics);
    }

    [Fact]
    public void A_valid_network_is_generated_beside_an_invalid_one()
    {
        const string source = """
            using HyperDsl;
            [TargetNetwork(1)] [Dense(0)] public partial class Broken;
            [TargetNetwork(1)] [Dense(3)] public partial class Fine;
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Mixed", source));
        Assert.Equal("HD0006", Assert.Single(result.Diagnostics).Id);
        Assert.Equal("Fine.g.cs", System.IO.Path.GetFileName(Assert.Single(result.GeneratedTrees).FilePath));
        Assert.DoesNotContain(GeneratorHarness.Problems(output), problem => !problem.Contains("HD0006"));
    }

    [Fact]
    public void Types_the_compiler_reports_as_duplicates_do_not_break_the_generator()
    {
        // A class and a record of the same name are two symbols (and a CS0261 error); each gets its own file.
        const string source = """
            using HyperDsl;
            [TargetNetwork(1)] [Dense(3)] public partial class Twin;
            [TargetNetwork(1)] [Dense(2)] public partial record Twin;
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Twins", source));
        Assert.True(result.Results.Single().Exception is null, result.Results.Single().Exception?.ToString());
        Assert.Equal(2, result.GeneratedTrees.Length);
        Assert.Contains(output.GetDiagnostics(), d => d.Id == "CS0261");
    }

    [Fact]
    public void Malformed_attributes_produce_compiler_errors_only()
    {
        // Wrong argument types and a missing argument: the compiler says so; the generator adds nothing and does not fail.
        const string source = """
            using HyperDsl;
            [TargetNetwork("one")] [Dense(2)] public partial class A;
            [TargetNetwork(1)] [Dense] public partial class B;
            [TargetNetwork(1)] [Dense(2.5)] public partial class C;
            [TargetNetwork(1)] [Dense(2, Name = 3)] public partial class D;
            """;
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Malformed", source));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedTrees);
        Assert.Null(result.Results.Single().Exception);
        Assert.All(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.StartsWith("CS", d.Id));
    }
}
