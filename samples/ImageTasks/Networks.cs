using HyperDsl;

namespace ImageTasks;

/// <summary>LeNet-5's shape (LeCun et al. 1998) with ReLU and max pools: 1×28×28 → 6@5×5 → 16@5×5 → 120 → 84 → 10.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
public partial class LeNet;

/// <summary>The same network with its convolutions shared by every task: a common feature extractor.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu, Shared = true)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu, Shared = true)]
[MaxPool2D(2)]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
public partial class SharedConvLeNet;

/// <summary>
/// Generates all 44,426 weights of LeNet for each task (0: MNIST digits, 1: Fashion-MNIST clothes) from a learned
/// embedding, in 22 chunks of 2048.
/// </summary>
[HyperNetwork(typeof(LeNet), Tasks = 2, EmbeddingSize = 8, ChunkSize = 2048, ChunkEmbeddingSize = 16)]
[Dense(128, Activation.Relu)]
public partial class LeNetHyper;

/// <summary>Generates the classifier (the three Dense layers, 41,854 weights) per task; the convolutions are learned directly in θ.</summary>
[HyperNetwork(typeof(SharedConvLeNet), Tasks = 2, EmbeddingSize = 8, ChunkSize = 2048, ChunkEmbeddingSize = 16)]
[Dense(128, Activation.Relu)]
public partial class SharedConvLeNetHyper;
