using System.Collections.Generic;

namespace HyperDsl.Checkpoints;

/// <summary>What a loaded checkpoint records.</summary>
/// <param name="Step">The training step saved with it (0 when none was recorded).</param>
/// <param name="Optimizer">The kind of optimizer whose state it holds (<c>Adam</c>, <c>AdamW</c>, <c>SGD</c>), or null.</param>
/// <param name="Metadata">Its <c>__metadata__</c> strings (empty when it has none).</param>
public sealed record CheckpointInfo(int Step, string? Optimizer, IReadOnlyDictionary<string, string> Metadata);
