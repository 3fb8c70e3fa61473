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
    {
        var model = new SineHyper(25, 10);
        double flops = 3.0 * 2 * 25 * ((8 * 64) + (64 * 1761) + (10 * ((1 * 40) + (40 * 40) + (40 * 1))));
        return new TrainingWorkload("small", 25, 10, 1, 1, model, flops);
    }

    /// <summary>The large configuration: LargeHyper, 16 tasks × 64 samples.</summary>
    public static TrainingWorkload Large()
    {
        var model = new LargeHyper(16, 64);
        double flops = 3.0 * 2 * 16 * ((32 * 256) + (256 * 85002) + (64 * ((64 * 256) + (256 * 256) + (256 * 10))));
        return new TrainingWorkload("large", 16, 64, 64, 10, model, flops);
    }

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
