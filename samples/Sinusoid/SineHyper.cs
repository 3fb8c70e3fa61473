using HyperDsl;

namespace Sinusoid;

/// <summary>The hypernetwork: a learned 8-dimensional embedding per training task → 64 ReLU units → SineNet's 1761 weights.</summary>
[HyperNetwork(typeof(SineNet), Tasks = 1000, EmbeddingSize = 8)]
[Dense(64, Activation.Relu)]
public partial class SineHyper;
