using HyperDsl;

namespace ContinualMnist;

// The networks of von Oswald et al. (ICLR 2020), with the settings of their code (hypercl, mnist/train_args_default.py).

/// <summary>
/// Split-MNIST's target: an MLP 784 → 400 → 400 → 10, a head of two outputs (one per digit of the pair) for each of the
/// five tasks, as the paper's code builds it for task-incremental learning; task t is scored on outputs 2t and 2t + 1.
/// </summary>
[TargetNetwork(inputs: 784)]
[Dense(400, Activation.Relu)]
[Dense(400, Activation.Relu)]
[Dense(10)]
public partial class SplitMlp;

/// <summary>
/// Split-MNIST's hypernetwork: task embeddings of 96, chunk embeddings of 96, a body of 10 → 10 (ReLU) and chunks of
/// 42,000 of the target's 478,410 weights, emitted in PyTorch's order as the paper's code emits them.
/// </summary>
[HyperNetwork(typeof(SplitMlp), Tasks = 5, EmbeddingSize = 96, ChunkSize = 42000, ChunkEmbeddingSize = 96, GeneratedOrder = ParameterOrder.PyTorch)]
[Dense(10, Activation.Relu)]
[Dense(10, Activation.Relu)]
public partial class SplitHyper;

/// <summary>
/// Permuted-MNIST's target: an MLP over the 32×32 padded, permuted image, 1024 → 1000 → 1000 → 100, a head of ten
/// outputs for each of the ten tasks, as the paper's code builds it.
/// </summary>
[TargetNetwork(inputs: 1024)]
[Dense(1000, Activation.Relu)]
[Dense(1000, Activation.Relu)]
[Dense(100)]
public partial class PermutedMlp;

/// <summary>
/// Permuted-MNIST's hypernetwork: task embeddings of 24, chunk embeddings of 8, a body of 25 → 25 with ELU, as the
/// paper's, and chunks of 78,000 of the target's 2,126,100 weights, emitted in PyTorch's order as the paper's code
/// emits them.
/// </summary>
[HyperNetwork(typeof(PermutedMlp), Tasks = 10, EmbeddingSize = 24, ChunkSize = 78000, ChunkEmbeddingSize = 8, GeneratedOrder = ParameterOrder.PyTorch)]
[Dense(25, Activation.Elu)]
[Dense(25, Activation.Elu)]
public partial class PermutedHyper;
