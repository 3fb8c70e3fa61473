using System.Linq;
using HyperDsl.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// The generated code of representative declarations, compared with committed snapshots; each output must also compile
/// with every warning wave on, nullable enabled and no warning at all.
/// </summary>
public sealed class TargetNetworkSnapshotTests
{
    [Fact]
    public void SineNet()
        => Verify(nameof(SineNet), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 1)]
            [Dense(40, Activation.Relu)]
            [Dense(40, Activation.Relu)]
            [Dense(1)]
            public partial class SineNet;
            """);

    [Fact]
    public void Every_activation()
        => Verify(nameof(Every_activation), """
            using HyperDsl;

            namespace Demo;

            // Every activation in a hidden layer; the last one, Softplus, also in the output position (the other
            // output kinds: Identity in SineNet, Sigmoid in Named_layers, Relu in Single_layer).
            [TargetNetwork(inputs: 3)]
            [Dense(5, Activation.Identity)]
            [Dense(6, Activation.Relu)]
            [Dense(7, Activation.LeakyRelu)]
            [Dense(9, Activation.Tanh)]
            [Dense(17, Activation.Sigmoid)]
            [Dense(33, Activation.Gelu)]
            [Dense(20, Activation.Silu)]
            [Dense(2, Activation.Softplus)]
            public partial class EveryActivation;
            """);

    [Fact]
    public void Wide_layer()
        => Verify(nameof(Wide_layer), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 64)]
            [Dense(256, Activation.Tanh)]
            public partial class WideNet;
            """);

    [Fact]
    public void Single_layer()
        => Verify(nameof(Single_layer), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 3)]
            [Dense(2, Activation.Relu)]
            public partial class Rectifier;
            """);

    [Fact]
    public void Named_layers()
        => Verify(nameof(Named_layers), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 4)]
            [Dense(16, Activation.Relu, Name = "Hidden")]
            [Dense(1, Activation.Sigmoid, Name = "Score")]
            public partial class Classifier;
            """);

    [Fact]
    public void Nested_namespace()
        => Verify(nameof(Nested_namespace), """
            using HyperDsl;

            namespace Company.Product
            {
                namespace Models
                {
                    [TargetNetwork(inputs: 2)]
                    [Dense(4, Activation.Tanh)]
                    [Dense(1)]
                    internal partial class Regressor;
                }
            }
            """);

    [Fact]
    public void No_namespace()
        => Verify(nameof(No_namespace), """
            using HyperDsl;

            [TargetNetwork(inputs: 2)]
            [Dense(3, Activation.Silu)]
            [Dense(2)]
            public partial class GlobalNet;
            """);

    [Fact]
    public void Nested_in_types_and_a_record()
        => Verify(nameof(Nested_in_types_and_a_record), """
            using HyperDsl;

            namespace Demo;

            public static partial class Models
            {
                public partial struct Holder<T>
                {
                    [TargetNetwork(inputs: 1)]
                    [Dense(2, Activation.Softplus)]
                    public sealed partial record Inner;
                }
            }
            """);

    [Fact]
    public void Hypernetwork_with_task_embeddings()
        => Verify(nameof(Hypernetwork_with_task_embeddings), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 1)]
            [Dense(8, Activation.Relu)]
            [Dense(1)]
            public partial class SmallNet;

            [HyperNetwork(typeof(SmallNet), Tasks = 100, EmbeddingSize = 4)]
            [Dense(16, Activation.Relu)]
            public partial class SmallHyper;
            """, files: 2);

    [Fact]
    public void Chunked_hypernetwork_with_both_conditionings()
        => Verify(nameof(Chunked_hypernetwork_with_both_conditionings), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 2)]
            [Dense(6, Activation.Tanh)]
            [Dense(2)]
            public partial class SmallNet;

            [HyperNetwork(typeof(SmallNet), Tasks = 10, EmbeddingSize = 3, ConditionSize = 2, ChunkSize = 7, ChunkEmbeddingSize = 2)]
            public partial class ChunkedHyper;
            """, files: 2);

    private static void Verify(string caseName, string source, int files = 1)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Snapshot", source));
        // Warnings (a Relu output) go to the snapshot of diagnostics; errors would mean no code.
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(files, result.GeneratedTrees.Length);
        Assert.DoesNotContain(GeneratorHarness.Problems(output), problem => !problem.Contains(": warning HD"));
        SnapshotAssert.Matches(result, caseName);
    }
}
