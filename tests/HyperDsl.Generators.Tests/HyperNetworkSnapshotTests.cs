using Xunit;

namespace HyperDsl.Generators.Tests;

/// <summary>
/// The generated code of representative hypernetworks (and of their targets), compared with committed snapshots; each
/// output must also compile with every warning wave on, nullable enabled and no warning at all.
/// </summary>
public sealed class HyperNetworkSnapshotTests
{
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
    public void Chunked_hypernetwork_emitting_W_in_pytorch_order()
        => Verify(nameof(Chunked_hypernetwork_emitting_W_in_pytorch_order), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 4)]
            [Dense(6, Activation.Relu)]
            [Dense(2)]
            public partial class SmallNet;

            [HyperNetwork(typeof(SmallNet), Tasks = 5, EmbeddingSize = 3, ChunkSize = 12, ChunkEmbeddingSize = 2, GeneratedOrder = ParameterOrder.PyTorch)]
            [Dense(8, Activation.Elu)]
            public partial class TorchOrderHyper;
            """, files: 2);

    [Fact]
    public void Hypernetwork_with_a_task_encoder()
        => Verify(nameof(Hypernetwork_with_a_task_encoder), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 1)]
            [Dense(8, Activation.Tanh)]
            [Dense(1)]
            public partial class SmallNet;

            [TargetNetwork(inputs: 2)]
            [Dense(16, Activation.Relu)]
            [Dense(4)]
            public partial class PairEncoder;

            [HyperNetwork(typeof(SmallNet), ConditionSize = 1, Encoder = typeof(PairEncoder), ChunkSize = 9, ChunkEmbeddingSize = 2)]
            [SetAttention(2, 8)]
            [Dense(12, Activation.Relu)]
            public partial class EncodedHyper;
            """, files: 3);

    [Fact]
    public void Chunked_hypernetwork_with_attention_across_chunks()
        => Verify(nameof(Chunked_hypernetwork_with_attention_across_chunks), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(inputs: 2)]
            [Dense(6, Activation.Tanh)]
            [Dense(2)]
            public partial class SmallNet;

            [HyperNetwork(typeof(SmallNet), Tasks = 10, EmbeddingSize = 3, ChunkSize = 8, ChunkEmbeddingSize = 2)]
            [Dense(8, Activation.Relu)]
            [SelfAttention(2, 16)]
            public partial class TransformerHyper;
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

    [Fact]
    public void Hypernetwork_over_an_image_target_with_shared_convolutions()
        => Verify(nameof(Hypernetwork_over_an_image_target_with_shared_convolutions), """
            using HyperDsl;

            namespace Demo;

            [TargetNetwork(Channels = 1, Height = 12, Width = 12)]
            [Conv2D(4, 3, Activation.Relu, Shared = true)]
            [MaxPool2D(2)]
            [Conv2D(8, 3, Activation.Relu, Padding = Padding.Same, Stride = 2, Shared = true)]
            [LayerNorm]
            [Conv2D(8, 3, Activation.Relu, Padding = Padding.Same, Residual = true)]
            [GlobalAvgPool2D]
            [Dense(10)]
            public partial class SmallConvNet;

            [HyperNetwork(typeof(SmallConvNet), Tasks = 5, EmbeddingSize = 4, ChunkSize = 128, ChunkEmbeddingSize = 4)]
            [Dense(16, Activation.Relu)]
            public partial class ConvHyper;
            """, files: 2);

    private static void Verify(string caseName, string source, int files) => SnapshotCase.Verify(caseName, source, files);
}
