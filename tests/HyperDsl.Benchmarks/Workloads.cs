using System;
using System.Linq;
using HyperDsl.Training;

namespace HyperDsl.Benchmarks;

/// <summary>The two training configurations of the comparison, with their data and FLOP counts.</summary>
public sealed class TrainingWorkload : IDisposable
{
    private TrainingWorkload(string name, int tasks, int samples, int inputSize, int outputSize, IHyperModel model, double flops)
    {
        Name = name;
        Tasks = tasks;
        Samples = samples;
        Model = model;
        Flops = flops;
        var random = new Random(3);
        TaskIds = Enumerable.Range(0, tasks).Select(_ => random.Next(1000)).ToArray();
        Inputs = Enumerable.Range(0, tasks * samples * inputSize).Select(_ => (random.NextSingle() * 2f) - 1f).ToArray();
        Targets = Enumerable.Range(0, tasks * samples * outputSize).Select(_ => (random.NextSingle() * 2f) - 1f).ToArray();
        Optimizer = new Adam(model);
        model.Initialize(1);
    }

    public string Name { get; }

    public int Tasks { get; }

    public int Samples { get; }

    public IHyperModel Model { get; }

    public Adam Optimizer { get; }

    public int[] TaskIds { get; }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    /// <summary>Floating-point operations of the dense products of one step (forward, weight and input gradients).</summary>
    public double Flops { get; }

    /// <summary>The model's threads, which the optimizer created for it follows.</summary>
    public int Threads
    {
        set => Model.Threads = value;
    }

    /// <summary>The small configuration: SineHyper, 25 tasks × 10 samples.</summary>
    public static TrainingWorkload Small()
        => new("small", 25, 10, 1, 1, new SineHyper(25, 10), TrainingShape.Small.Flops);

    /// <summary>The large configuration: LargeHyper, 16 tasks × 64 samples.</summary>
    public static TrainingWorkload Large()
        => new("large", 16, 64, 64, 10, new LargeHyper(16, 64), TrainingShape.Large.Flops);

    /// <summary>ComputeGradients and an Adam step: a training step as torch.optim users count it.</summary>
    public float Step()
    {
        float loss = Model.ComputeGradients(new TaskBatch(TaskIds, Inputs, Targets, Samples), Loss.MeanSquaredError);
        Optimizer.Step(Model.Parameters, Model.Gradients);
        return loss;
    }

    public void Dispose()
    {
        Threads = 1;
    }
}

/// <summary>
/// What one training step of a configuration computes and moves: the FLOPs of its dense products (forward, weight and
/// input gradients, 3 × 2 × the multiply-adds), and an estimate of the bytes it streams through memory — Adam's seven
/// arrays of θ (p, g, m, v read; p, m, v written), the head's weights read by the forward pass and by the input
/// gradient and its gradient written, and every task's W and ∂L/∂W written and read once.
/// </summary>
/// <param name="Rows">Tasks per step (g's rows).</param>
/// <param name="Samples">Samples per task.</param>
/// <param name="Embedding">g's input width.</param>
/// <param name="Hidden">g's body width.</param>
/// <param name="TargetParameters">P.</param>
/// <param name="ThetaParameters">θ's size.</param>
/// <param name="TargetMultiplyAdds">Multiply-adds of the target's layers per sample.</param>
public sealed record TrainingShape(int Rows, int Samples, int Embedding, int Hidden, int TargetParameters, long ThetaParameters, long TargetMultiplyAdds)
{
    public static readonly TrainingShape Small = new(25, 10, 8, 64, 1761, SineHyper.ParameterCount, (1 * 40) + (40 * 40) + (40 * 1));

    public static readonly TrainingShape Large = new(16, 64, 32, 256, 85002, LargeHyper.ParameterCount, (64 * 256) + (256 * 256) + (256 * 10));

    public double Flops => 3.0 * 2 * Rows * ((Embedding * (double)Hidden) + (Hidden * (double)TargetParameters) + (Samples * (double)TargetMultiplyAdds));

    public double Bytes => 4.0 * ((7.0 * ThetaParameters) + (3.0 * Hidden * TargetParameters) + (4.0 * Rows * TargetParameters));
}
