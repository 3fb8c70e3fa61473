namespace HyperDsl.Benchmarks;

/// <summary>The small configuration's target: the sinusoid benchmark's SineNet, 1 → 40 → 40 → 1, 1761 parameters.</summary>
[TargetNetwork(inputs: 1)]
[Dense(40, Activation.Relu)]
[Dense(40, Activation.Relu)]
[Dense(1)]
public partial class SineNet;

/// <summary>The small configuration: 8 → 64 → 1761, a 1000-task embedding table.</summary>
[HyperNetwork(typeof(SineNet), Tasks = 1000, EmbeddingSize = 8)]
[Dense(64, Activation.Relu)]
public partial class SineHyper;

/// <summary>The large configuration's target: 64 → 256 → 256 → 10, 85,002 parameters.</summary>
[TargetNetwork(inputs: 64)]
[Dense(256, Activation.Relu)]
[Dense(256, Activation.Relu)]
[Dense(10)]
public partial class LargeNet;

/// <summary>The large configuration: 32 → 256 → 85,002, a 1000-task table — a full head, as the comparison asks.</summary>
#pragma warning disable HD0021 // the head is 257 times the target: that is the configuration being measured
[HyperNetwork(typeof(LargeNet), Tasks = 1000, EmbeddingSize = 32)]
[Dense(256, Activation.Relu)]
public partial class LargeHyper;
#pragma warning restore HD0021

/// <summary>The image configuration's target: LeNet-5's shape, 1×28×28 → 6@5×5 → pool → 16@5×5 → pool → 120 → 84 → 10.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
public partial class LeNet;

/// <summary>The image configuration's hypernetwork (as samples/ImageTasks): [8 ; 16] → 128 → chunks of 2048, 22 per task.</summary>
[HyperNetwork(typeof(LeNet), Tasks = 2, EmbeddingSize = 8, ChunkSize = 2048, ChunkEmbeddingSize = 16)]
[Dense(128, Activation.Relu)]
public partial class LeNetHyper;

// LeNet's layers one by one, each as a network of its own, for per-layer times. A network's edges convert images
// between NCHW and the NHWC kept inside, so the image layers' times include one such conversion or two. Their ReLU
// outputs are hidden layers of LeNet, not the output layers HD0020 warns about.
#pragma warning disable HD0020

[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
public partial class LeNetConv0;

[TargetNetwork(Channels = 6, Height = 24, Width = 24)]
[MaxPool2D(2)]
public partial class LeNetPool1;

[TargetNetwork(Channels = 6, Height = 12, Width = 12)]
[Conv2D(16, 5, Activation.Relu)]
public partial class LeNetConv2;

[TargetNetwork(Channels = 16, Height = 8, Width = 8)]
[MaxPool2D(2)]
public partial class LeNetPool3;

[TargetNetwork(inputs: 256)]
[Dense(120, Activation.Relu)]
public partial class LeNetDense4;

[TargetNetwork(inputs: 120)]
[Dense(84, Activation.Relu)]
public partial class LeNetDense5;

[TargetNetwork(inputs: 84)]
[Dense(10)]
public partial class LeNetDense6;
#pragma warning restore HD0020

/// <summary>The encoder configuration's task encoder (as samples/Sinusoid): a support point (x, y) → 64 → 64 → 32.</summary>
[TargetNetwork(inputs: 2)]
[Dense(64, Activation.Relu)]
[Dense(64, Activation.Relu)]
[Dense(32)]
public partial class SinePointEncoder;

/// <summary>The encoder configuration (as samples/Sinusoid): z the mean encoding of the support set → 64 → SineNet's 1761 weights.</summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder))]
[Dense(64, Activation.Relu)]
public partial class SineEncoderHyper;

/// <summary>The attention configuration (as samples/Sinusoid): the same with a transformer block across the support set (4 heads, feed-forward 64).</summary>
[HyperNetwork(typeof(SineNet), Encoder = typeof(SinePointEncoder))]
[SetAttention(4, 64)]
[Dense(64, Activation.Relu)]
public partial class SineAttentionHyper;
