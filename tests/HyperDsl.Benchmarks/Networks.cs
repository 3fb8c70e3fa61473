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
