using HyperDsl;

namespace Sinusoid;

/// <summary>The target network of the sinusoid benchmark (Finn et al. 2017): 1 → 40 → 40 → 1 with ReLU.</summary>
[TargetNetwork(inputs: 1)]
[Dense(40, Activation.Relu)]
[Dense(40, Activation.Relu)]
[Dense(1)]
public partial class SineNet;
