namespace HyperDsl.Tests.Networks;

// Networks compiled by the generator as part of this test project's own build. Each one's architecture is written
// out again, independently, where the tests build its reference (see NetworkCatalog).

/// <summary>The sinusoid benchmark's target: 1 → 40 → 40 → 1, ReLU.</summary>
[TargetNetwork(inputs: 1)]
[Dense(40, Activation.Relu)]
[Dense(40, Activation.Relu)]
[Dense(1)]
public partial class SineNet;

// One network per activation, in a hidden and in the output position. 37 = 2×16 + 4 + 1 and 5 = 4 + 1 exercise the
// narrower registers and the scalar remainder on every path.

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Identity)]
[Dense(5, Activation.Identity)]
public partial class IdentityNet;

// A Relu output is what this test is about; HD0020 warns users who did not mean it.
#pragma warning disable HD0020
[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Relu)]
[Dense(5, Activation.Relu)]
public partial class ReluNet;
#pragma warning restore HD0020

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.LeakyRelu)]
[Dense(5, Activation.LeakyRelu)]
public partial class LeakyReluNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Tanh)]
[Dense(5, Activation.Tanh)]
public partial class TanhNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Sigmoid)]
[Dense(5, Activation.Sigmoid)]
public partial class SigmoidNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Gelu)]
[Dense(5, Activation.Gelu)]
public partial class GeluNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Silu)]
[Dense(5, Activation.Silu)]
public partial class SiluNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Elu)]
[Dense(5, Activation.Elu)]
public partial class EluNet;

[TargetNetwork(inputs: 3)]
[Dense(37, Activation.Softplus)]
[Dense(5, Activation.Softplus)]
public partial class SoftplusNet;

/// <summary>A wide layer: the kernels loop over blocks of columns, and the backward tile holds 8 samples.</summary>
[TargetNetwork(inputs: 64)]
[Dense(256, Activation.Tanh)]
[Dense(10)]
public partial class WideNet;

/// <summary>Mixed activations, a one-unit bottleneck and a width of 70 = 4×16 + 4 + 2.</summary>
[TargetNetwork(inputs: 6)]
[Dense(1, Activation.Silu)]
[Dense(70, Activation.Gelu)]
[Dense(9, Activation.LeakyRelu)]
[Dense(3, Activation.Sigmoid)]
public partial class MixedNet;

/// <summary>A single layer with a non-identity output.</summary>
[TargetNetwork(inputs: 2)]
[Dense(1, Activation.Sigmoid, Name = "Logit")]
public partial class LogisticNet;

/// <summary>So wide that Backward rents its scratch from the array pool instead of the stack.</summary>
[TargetNetwork(inputs: 1)]
[Dense(16400, Activation.Tanh)]
[Dense(1)]
public partial class HugeNet;

/// <summary>
/// Wide enough that the input gradient of its first layer runs over blocks of columns, with columns past the last full
/// register of every path (601 = 37 × 16 + 9 = 75 × 8 + 1).
/// </summary>
[TargetNetwork(inputs: 5)]
[Dense(601, Activation.Tanh)]
[Dense(3)]
public partial class BlockedNet;
