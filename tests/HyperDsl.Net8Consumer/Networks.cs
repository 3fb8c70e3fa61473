using HyperDsl;

namespace HyperDsl.Net8Consumer;

/// <summary>Every activation, in hidden and output position.</summary>
[TargetNetwork(inputs: 3)]
[Dense(5, Activation.Identity)]
[Dense(6, Activation.Relu)]
[Dense(7, Activation.LeakyRelu)]
[Dense(9, Activation.Tanh)]
[Dense(17, Activation.Sigmoid)]
[Dense(33, Activation.Gelu)]
[Dense(70, Activation.Silu)]
[Dense(2, Activation.Softplus)]
public partial class EveryActivation;

/// <summary>A wide layer, whose kernels loop over blocks of columns.</summary>
[TargetNetwork(inputs: 64)]
[Dense(256, Activation.Tanh)]
[Dense(10)]
public partial class Wide;

/// <summary>A network nested in a static class.</summary>
internal static partial class Outer
{
    /// <summary>A single-layer network.</summary>
    [TargetNetwork(inputs: 2)]
    [Dense(1, Activation.Sigmoid, Name = "Logit")]
    internal sealed partial class Logistic;
}

/// <summary>A hypernetwork with a task table.</summary>
[HyperNetwork(typeof(EveryActivation), Tasks = 20, EmbeddingSize = 4)]
[Dense(16, Activation.Relu)]
public partial class TableHyper;

/// <summary>A chunked hypernetwork with a condition vector.</summary>
[HyperNetwork(typeof(Wide), ConditionSize = 3, ChunkSize = 100, ChunkEmbeddingSize = 4)]
[Dense(16, Activation.Tanh)]
public partial class ConditionedHyper;
