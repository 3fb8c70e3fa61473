using System;

namespace HyperDsl;

/// <summary>
/// Declares a hypernetwork: a generator network g that produces every parameter W of the target network
/// <see cref="Target"/> from a task's embedding z, W = g(z; θ). Body layers are the class's <see cref="DenseAttribute"/>s
/// in source order; the head, a dense layer from the last body layer to the target's parameters, is implied.
/// </summary>
/// <remarks>
/// The class must be <c>partial</c>; the generator makes it derive from <see cref="HyperNetworkModel{TTarget}"/> and
/// adds its constants, a <c>Layout</c> of θ, a constructor <c>(int maxTasks, int maxSamplesPerTask)</c> and the
/// <c>Generate</c> overloads that fit its conditioning.
/// <code>
/// [HyperNetwork(typeof(SineNet), Tasks = 1000, EmbeddingSize = 8)]
/// [Dense(64, Activation.Relu)]
/// public partial class SineHyper;
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class HyperNetworkAttribute : Attribute
{
    /// <summary>Declares a hypernetwork for the target network <paramref name="target"/>.</summary>
    /// <param name="target">A class with <see cref="TargetNetworkAttribute"/>.</param>
    public HyperNetworkAttribute(Type target) => Target = target;

    /// <summary>The target network whose parameters the hypernetwork generates.</summary>
    public Type Target { get; }

    /// <summary>Rows of the learned task-embedding table: task ids run from 0 to Tasks − 1. Goes with <see cref="EmbeddingSize"/>.</summary>
    public int Tasks { get; set; }

    /// <summary>Width of a learned task embedding. Goes with <see cref="Tasks"/>.</summary>
    public int EmbeddingSize { get; set; }

    /// <summary>
    /// Width of a condition vector the caller gives per task (a task descriptor, or a task encoder's output). With a
    /// learned embedding as well, the generator's input is the two concatenated.
    /// </summary>
    public int ConditionSize { get; set; }

    /// <summary>
    /// A task encoder E: a <see cref="TargetNetworkAttribute"/> class over one support pair [x ; y] (a vector of the
    /// target's inputs and outputs together). Each task's support set becomes z's encoding part, the mean over its
    /// pairs of E([x ; y]) (DeepSets, conditional neural processes), after the embedding and the condition; E is learned
    /// in θ with g, end to end on the query loss. A new task then costs one forward pass: <c>Generate</c> and
    /// <c>Predict</c> take its support set. With a table as well, an unseen task has no row: pass it zeros (the table's
    /// mean at initialisation) or a fitted embedding through <c>GenerateFromSupport</c>.
    /// </summary>
    public Type? Encoder { get; set; }

    /// <summary>
    /// Target parameters produced per head call (Ha et al. 2016): the head runs ⌈P / ChunkSize⌉ times per task, on
    /// [z ; learned chunk embedding], so that it is far smaller than P outputs. Goes with <see cref="ChunkEmbeddingSize"/>.
    /// </summary>
    public int ChunkSize { get; set; }

    /// <summary>Width of the learned chunk embeddings. Goes with <see cref="ChunkSize"/>.</summary>
    public int ChunkEmbeddingSize { get; set; }

    /// <summary>
    /// The order in which the head emits the target's parameters: the target's own layout (the default) or
    /// PyTorch's, as hypernetworks written in PyTorch emit them. With chunks it decides which parameters the same head
    /// output generates in every chunk, so it changes what the hypernetwork learns easily; a checkpoint records it.
    /// </summary>
    public ParameterOrder GeneratedOrder { get; set; }
}
