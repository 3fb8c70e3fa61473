using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// The generated code of representative target networks, compared with committed snapshots; each output must also
/// compile with every warning wave on, nullable enabled and no warning at all.
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
    public void LeNet_over_an_image()
        => Verify(nameof(LeNet_over_an_image), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(Channels = 1, Height = 28, Width = 28)]
            [Conv2D(6, 5, Activation.Relu)]
            [MaxPool2D(2)]
            [Conv2D(16, 5, Activation.Relu)]
            [AvgPool2D(2)]
            [Dense(120, Activation.Relu)]
            [Dense(84, Activation.Relu)]
            [Dense(10)]
            public partial class LeNet;
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
            [Dense(11, Activation.Elu)]
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
    public void Layer_wide_enough_to_block_its_input_gradient()
        => Verify(nameof(Layer_wide_enough_to_block_its_input_gradient), """
            using HyperDsl;

            namespace Demo;

            // 601 units: the input gradient runs over blocks of 256 columns, then the columns past the last full register.
            [TargetNetwork(inputs: 5)]
            [Dense(601, Activation.Tanh)]
            public partial class VeryWideNet;
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

    private static void Verify(string caseName, string source, int files = 1) => SnapshotCase.Verify(caseName, source, files);
}
