using HyperDsl;

namespace FewShotImages;

/// <summary>
/// The classifier an episode gets: LeNet's convolutions (6@5×5 and 16@5×5 with ReLU and max pools), shared by every
/// episode and learned directly, and a 5-way linear head over their 256 features that the hypernetwork generates.
/// </summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu, Shared = true)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu, Shared = true)]
[MaxPool2D(2)]
[Dense(EpisodeHyper.Way)]
public partial class EpisodeNet;

/// <summary>
/// Generates EpisodeNet's head (1,285 weights) from an episode's 512-float embedding by one linear map (no hidden
/// layer): the heads it can make form a 512-dimensional subspace learned over the meta-training episodes, and fitting a
/// new episode's embedding searches that subspace. Each of the 1,000 meta-training episodes (5 classes in a drawn
/// order) is a row of the table. Linear beat 96 ReLU units over a 32-float embedding, and 512 beat 96 and 256 (1,024
/// did no better), on episodes of the meta-training classes.
/// </summary>
#pragma warning disable HD0021 // a head 513 times its 1,285-weight target is meant: the size of the subspace is the point
[HyperNetwork(typeof(EpisodeNet), Tasks = EpisodeHyper.TrainingEpisodes, EmbeddingSize = 512)]
public partial class EpisodeHyper
#pragma warning restore HD0021
{
    /// <summary>Classes per episode.</summary>
    public const int Way = 5;

    /// <summary>The fixed pool of meta-training episodes, one table row each.</summary>
    public const int TrainingEpisodes = 1000;
}

/// <summary>The pooled baseline: the same convolutions with a head over all 56 meta-training classes, trained directly.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Dense(FewShotClasses.TrainingClassCount)]
public partial class PooledNet;

/// <summary>PooledNet's convolutions alone: the 256 features the fine-tuned baseline's new head reads.</summary>
[TargetNetwork(Channels = 1, Height = 28, Width = 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
public partial class FeatureNet;

/// <summary>The fine-tuned baseline's head: a 5-way linear layer over FeatureNet's features.</summary>
[TargetNetwork(inputs: 256)]
[Dense(EpisodeHyper.Way)]
public partial class HeadNet;
