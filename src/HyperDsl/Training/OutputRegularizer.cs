using System;
using System.Collections.Generic;

namespace HyperDsl.Training;

/// <summary>
/// The output regulariser of continual learning with hypernetworks (von Oswald et al., ICLR 2020, "Continual learning
/// with hypernetworks"): once a task has been learned, the W that g generates for it is stored as its anchor W*; while
/// later tasks are learned, <c>β / |S| · Σ_{t ∈ S} ‖g(e_t; θ) − W*_t‖²</c> is added to the loss, S being every remembered
/// task or a random subset of them per step, so that θ goes on producing the earlier tasks' networks while it learns
/// new ones. Works with any generated hypernetwork; allocation-free per step.
/// </summary>
/// <example>
/// <code>
/// var regularizer = new OutputRegularizer(model, beta: 0.01f, capacity: 5);
/// for (int task = 0; task &lt; 5; task++)
/// {
///     for (int step = 0; step &lt; 2000; step++)
///     {
///         model.ComputeGradients(batchOf(task), Loss.SoftmaxCrossEntropy);
///         regularizer.AddGradients();   // the earlier tasks' penalty, added to the gradients
///         adam.Step(model.Parameters, model.Gradients);
///     }
///
///     regularizer.Remember(task);       // this task's W becomes its anchor
/// }
/// </code>
/// </example>
public sealed class OutputRegularizer
{
    private readonly IHyperModel model;
    private readonly int[] taskIds;
    private readonly float[] conditions;
    private readonly float[] anchors;
    private readonly int[] order;
    private readonly Random random;
    private int count;

    // The look-ahead's copies of θ and of the optimizer's state, made on its first use.
    private float[]? savedTheta;
    private float[][]? savedBuffers;

    /// <summary>Creates a regulariser with room for <paramref name="capacity"/> tasks' anchors.</summary>
    /// <param name="model">The hypernetwork whose gradients receive the penalty's.</param>
    /// <param name="beta">β, the penalty's weight, finite and at least 0 (the paper uses 0.01 on Split-MNIST, 0.1 on Permuted-MNIST).</param>
    /// <param name="capacity">The most tasks that can be remembered; the anchors take capacity × TargetParameterCount floats.</param>
    /// <param name="tasksPerStep">Remembered tasks penalised per step, drawn at random without repetition; 0 for all of them.</param>
    /// <param name="seed">The seed of the draws.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">β is negative or not finite, the capacity is less than 1 or too large for an array, or tasksPerStep is negative.</exception>
    public OutputRegularizer(IHyperModel model, float beta, int capacity, int tasksPerStep = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!float.IsFinite(beta) || beta < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "OutputRegularizer: beta must be finite and at least 0.");
        }

        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "OutputRegularizer: capacity must be at least 1.");
        }

        if ((long)capacity * model.TargetParameterCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"OutputRegularizer: {capacity} anchors of {model.TargetParameterCount} floats do not fit in an array.");
        }

        if (tasksPerStep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tasksPerStep), tasksPerStep, "OutputRegularizer: tasksPerStep must be 0 (every remembered task) or more.");
        }

        this.model = model;
        Beta = beta;
        TasksPerStep = tasksPerStep;
        taskIds = new int[capacity];
        conditions = new float[capacity * model.ConditionSize];
        anchors = new float[capacity * model.TargetParameterCount];
        order = new int[capacity];
        random = new Random(seed);
    }

    /// <summary>The hypernetwork whose gradients receive the penalty's.</summary>
    public IHyperModel Model => model;

    /// <summary>β, the penalty's weight.</summary>
    public float Beta { get; }

    /// <summary>Remembered tasks penalised per step (0: all of them).</summary>
    public int TasksPerStep { get; }

    /// <summary>The most tasks that can be remembered.</summary>
    public int Capacity => taskIds.Length;

    /// <summary>Tasks remembered so far.</summary>
    public int Count => count;

    /// <summary>
    /// Stores the W that g generates now for the task with table row <paramref name="taskId"/> as its anchor; a task
    /// remembered before gets its anchor replaced (the paper refreshes every earlier task's anchor after each task).
    /// </summary>
    /// <param name="taskId">The task's row of the embedding table.</param>
    /// <exception cref="InvalidOperationException">The hypernetwork has no task table, or takes a condition (use the overload with one), or the capacity is used up.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taskId"/> is outside the table.</exception>
    public void Remember(int taskId)
    {
        if (model.ConditionSize > 0)
        {
            throw new InvalidOperationException($"OutputRegularizer.Remember: the hypernetwork takes a condition of {model.ConditionSize} floats per task; pass it with Remember(taskId, condition).");
        }

        Remember(taskId, ReadOnlySpan<float>.Empty);
    }

    /// <summary>
    /// Stores the W that g generates now for a task as its anchor: a row of the embedding table (any id, ignored, when
    /// there is none) with its condition. A task remembered before with the same id and condition gets its anchor
    /// replaced.
    /// </summary>
    /// <param name="taskId">The task's row of the embedding table; ignored when the hypernetwork has no table.</param>
    /// <param name="condition">The task's condition, ConditionSize floats; empty when there is none.</param>
    /// <exception cref="InvalidOperationException">The capacity is used up.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taskId"/> is outside the table.</exception>
    /// <exception cref="ArgumentException">The condition has the wrong length or is not finite.</exception>
    public void Remember(int taskId, ReadOnlySpan<float> condition)
    {
        bool table = model.Tasks > 0;
        if (table && (uint)taskId >= (uint)model.Tasks)
        {
            throw new ArgumentOutOfRangeException(nameof(taskId), taskId, $"OutputRegularizer.Remember: taskId must be a task id from 0 to {model.Tasks - 1}.");
        }

        if (condition.Length != model.ConditionSize)
        {
            throw new ArgumentException($"OutputRegularizer.Remember: condition holds {condition.Length} floats; the hypernetwork takes {model.ConditionSize}.", nameof(condition));
        }

        Kernels.FiniteCheck.Require("OutputRegularizer.Remember", nameof(condition), condition);
        int slot = Find(table ? taskId : 0, condition);
        if (slot < 0)
        {
            if (count == Capacity)
            {
                throw new InvalidOperationException($"OutputRegularizer.Remember: all {Capacity} places are taken; create the regulariser with a larger capacity.");
            }

            slot = count;
        }

        int parameters = model.TargetParameterCount;
        ReadOnlySpan<float> embedding = table ? model.TaskEmbeddings.Slice(taskId * model.EmbeddingSize, model.EmbeddingSize) : ReadOnlySpan<float>.Empty;

        // Generated first, so that a refused condition leaves everything as it was.
        model.GenerateFromEmbedding(embedding, condition, anchors.AsSpan(slot * parameters, parameters));
        taskIds[slot] = table ? taskId : 0;
        condition.CopyTo(conditions.AsSpan(slot * model.ConditionSize, model.ConditionSize));
        if (slot == count)
        {
            count++;
        }
    }

    /// <summary>
    /// Adds the gradient of <c>β / |S| · Σ_{t ∈ S} ‖g(e_t; θ) − W*_t‖²</c> to the model's gradients and returns the
    /// penalty; S is every remembered task, or <see cref="TasksPerStep"/> of them drawn at random. Call it after
    /// ComputeGradients (which overwrites the gradients) and before the optimizer's step. Does nothing and returns 0
    /// while no task is remembered or β is 0.
    /// </summary>
    /// <returns>The penalty added to the loss.</returns>
    public float AddGradients()
    {
        if (count == 0 || Beta == 0f)
        {
            return 0f;
        }

        int chosen = TasksPerStep == 0 ? count : Math.Min(TasksPerStep, count);
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        if (chosen < count)
        {
            // The first `chosen` places of a partial Fisher–Yates shuffle.
            for (int i = 0; i < chosen; i++)
            {
                int j = random.Next(i, count);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        float scale = Beta / chosen;
        int parameters = model.TargetParameterCount;
        int conditionSize = model.ConditionSize;
        double penalty = 0;
        for (int i = 0; i < chosen; i++)
        {
            int slot = order[i];
            penalty += model.AddAnchorPenaltyGradients(
                model.Tasks > 0 ? taskIds.AsSpan(slot, 1) : ReadOnlySpan<int>.Empty,
                conditions.AsSpan(slot * conditionSize, conditionSize),
                anchors.AsSpan(slot * parameters, parameters),
                scale);
        }

        return (float)penalty;
    }

    /// <summary>
    /// As <see cref="AddGradients()"/>, but with the penalty and its gradient taken where <paramref name="lookahead"/>'s
    /// next step would put θ from the gradients there now — the look-ahead of von Oswald et al., so that the regulariser
    /// counters the move the task loss is about to make. The step is tried and undone: θ and the optimizer's state are
    /// as they were. Call it after ComputeGradients and before that optimizer's step, with its learning rate set. The
    /// first call keeps a copy of θ and of the optimizer's state; later calls allocate nothing.
    /// </summary>
    /// <param name="lookahead">The optimizer about to step θ: one of the library's (Adam, AdamW, Sgd), created for this model or for its parameter count.</param>
    /// <returns>The penalty added to the loss, at the looked-ahead θ.</returns>
    /// <exception cref="ArgumentException">The optimizer's state cannot be copied (not one of the library's) or it was created for another model.</exception>
    public float AddGradients(IOptimizer lookahead)
    {
        ArgumentNullException.ThrowIfNull(lookahead);
        if (lookahead is not Checkpoints.IOptimizerCheckpoint state)
        {
            throw new ArgumentException($"OutputRegularizer.AddGradients: the look-ahead needs an optimizer whose state can be copied and restored (Adam, AdamW, Sgd); {lookahead.GetType().Name} is not one.", nameof(lookahead));
        }

        if (lookahead is IModelOptimizer { Model: { } other } && !ReferenceEquals(other, model))
        {
            throw new ArgumentException("OutputRegularizer.AddGradients: the optimizer was created for another model.", nameof(lookahead));
        }

        if (count == 0 || Beta == 0f)
        {
            return 0f;
        }

        Span<float> theta = model.Parameters;
        IReadOnlyList<KeyValuePair<string, float[]>> buffers = state.CheckpointBuffers;
        if (savedTheta is null || savedBuffers is null || savedBuffers.Length != buffers.Count)
        {
            savedTheta = new float[theta.Length];
            savedBuffers = new float[buffers.Count][];
        }

        for (int b = 0; b < buffers.Count; b++)
        {
            if (savedBuffers[b] is null || savedBuffers[b].Length != buffers[b].Value.Length)
            {
                savedBuffers[b] = new float[buffers[b].Value.Length];
            }

            buffers[b].Value.CopyTo(savedBuffers[b], 0);
        }

        theta.CopyTo(savedTheta);
        int steps = state.CheckpointStepCount;
        try
        {
            lookahead.Step(theta, model.Gradients);
            return AddGradients();
        }
        finally
        {
            savedTheta.CopyTo(theta);
            for (int b = 0; b < buffers.Count; b++)
            {
                savedBuffers[b].CopyTo(buffers[b].Value, 0);
            }

            state.CheckpointStepCount = steps;
        }
    }

    /// <summary>The anchor of the <paramref name="index"/>-th remembered task, in the order they were first remembered.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>W* of that task, TargetParameterCount floats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not that of a remembered task.</exception>
    public ReadOnlySpan<float> Anchor(int index)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"OutputRegularizer.Anchor: index must be from 0 to {count - 1}.");
        }

        return anchors.AsSpan(index * model.TargetParameterCount, model.TargetParameterCount);
    }

    /// <summary>The slot of a remembered task with this id and condition, or −1.</summary>
    private int Find(int taskId, ReadOnlySpan<float> condition)
    {
        for (int slot = 0; slot < count; slot++)
        {
            if (taskIds[slot] == taskId && condition.SequenceEqual(conditions.AsSpan(slot * condition.Length, condition.Length)))
            {
                return slot;
            }
        }

        return -1;
    }
}
