using HyperDsl;

namespace Consumer;

/// <summary>y = h(x; W): one input, 16 tanh units, one output (49 parameters).</summary>
[TargetNetwork(inputs: 1)]
[Dense(16, Activation.Tanh)]
[Dense(1)]
public partial class LineNet;

/// <summary>Generates LineNet's weights for each of four tasks from a learned embedding.</summary>
[HyperNetwork(typeof(LineNet), Tasks = 4, EmbeddingSize = 2)]
[Dense(16, Activation.Tanh)]
public partial class LineHyper;
