using System;
using System.Numerics.Tensors;
using HyperDsl.Kernels;
using HyperDsl.Training;

namespace HyperDsl;

/// <summary>
/// The training step shared by two threads: the head's products split along its inputs, the target passes split by
/// tasks. Where θ is split, for this step and for an optimizer created for the model, is decided here, once.
/// </summary>
public abstract partial class HyperNetworkModel<TTarget>
{
    // Where the two threads split θ and the head; changed only by tests, to try every split.
    private TwoThreadSplit split;

    // With Threads = 2: the helper thread, its buffers, and the step that shares the work with it.
    private ParallelWorker? worker;
    private TwoThreadStep? twoThreadStep;

    /// <summary>
    /// Threads a training step uses: 1 (the default) or 2. With 2, <see cref="ComputeGradients"/> shares each step with
    /// a persistent helper thread — each thread sums the head over its part of the head's inputs for every row, runs
    /// the target passes of half of the tasks, and computes the head's gradient rows of its part — and an optimizer
    /// created for this model (<c>new Adam(model)</c>) updates θ on the same two threads, split where this step splits
    /// it, so that each core keeps its part of the head and of the optimizer's state in its cache. Every head is split,
    /// whatever its width; the two parts of the head's sum are added in a fixed order, so results are the same from run
    /// to run (and equal to one thread's to rounding). The helper thread is the process's one. Setting 2 allocates the
    /// second thread's buffers once; a step with either setting allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 or 2.</exception>
    public int Threads
    {
        get => worker is null ? 1 : 2;
        set
        {
            if (value is not (1 or 2))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{description.Name}.Threads must be 1 or 2.");
            }

            if (value == 2)
            {
                twoThreadStep ??= new TwoThreadStep(this);
                worker = ParallelWorker.Shared;
            }
            else
            {
                worker = null;
            }
        }
    }

    /// <summary>The first element of θ that the second thread updates in a two-thread optimizer step.</summary>
    int IThreadedParameters.ParameterSplit => split.Parameters;

    /// <summary>
    /// The first head input of the second thread's part. Tests set it to try a split at either end and in the middle;
    /// the model chooses it once (<see cref="TwoThreadSplit"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, the head's inputs].</exception>
    internal int HeadSplit
    {
        get => split.Head;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, description.HeadInputs);
            split = split with { Head = value };
        }
    }

    /// <summary>
    /// Where two threads split a step. θ is split at its middle, rounded down to 64 floats (so that no cache line is
    /// written by both threads): the first thread's optimizer step updates θ below, the second's from there. The head
    /// is split at the row of its weights nearest to that point, so that each thread computes the gradient rows it
    /// then updates; when θ's middle lies outside the head (a large embedding table, many chunk embeddings), it is
    /// clamped to leave each thread at least a quarter of the head's inputs, since then the head is small and sharing
    /// its arithmetic matters more than where it lives. Which part adds the head's bias does not depend on the split:
    /// the first adds the bias in the forward pass, the second its gradient in the backward pass.
    /// </summary>
    /// <param name="Parameters">The first element of θ the second thread updates.</param>
    /// <param name="Head">The first head input of the second thread's part, in [0, head inputs].</param>
    private readonly record struct TwoThreadSplit(int Parameters, int Head)
    {
        public static TwoThreadSplit Of(HyperNetworkDescription description)
        {
            int parameters = (description.ParameterCount / 2) & ~63;
            int inputs = description.HeadInputs;
            long headWeights = description.DecoderOffset + (long)description.Head.WeightsOffset;
            long nearestRow = (parameters - headWeights + (description.HeadUnits / 2)) / description.HeadUnits;
            int quarter = inputs / 4;
            return new TwoThreadSplit(parameters, (int)Math.Clamp(nearestRow, quarter, inputs - quarter));
        }
    }

    /// <summary>
    /// A step split over two threads, in phases that each thread runs a part of, between serial work on the calling
    /// thread. Each thread keeps to its part of the head's inputs wherever it can — the same rows of the head's weights
    /// that its part of a two-thread optimizer step updates — since on two cores moving those weights between the
    /// cores' caches costs more than the arithmetic it saves:
    /// <list type="number">
    /// <item>(serial) g's layers below the head, on all rows, and any attention across each task's chunk rows;</item>
    /// <item>each thread the head's sum over its part of the head's inputs, on all rows (the first adds the bias);</item>
    /// <item>each thread, for half of the tasks, the two parts added (in a fixed order) into W, and the target passes;</item>
    /// <item>each thread the head's backward for its part of the head's inputs: those rows of the weight gradient and
    /// those columns of the input gradient (the second adds the bias gradient);</item>
    /// <item>(serial) any attention across chunk rows, then the layers below the head.</item>
    /// </list>
    /// No thread adds to what the other writes, so the result is the same from run to run. Spans cannot cross threads,
    /// so the batch's inputs and targets are pinned for the duration of the step — which returns only when both parts
    /// are done — and passed as pointers.
    /// </summary>
    private sealed unsafe class TwoThreadStep : IPartitionedWork
    {
        private readonly HyperNetworkModel<TTarget> model;

        // The helper's lane; ∂L/∂(the head's inputs) of all rows, whose columns the two threads share; each task's
        // loss, summed in task order after both threads are done; the head's sums over the second part of its inputs,
        // which the first part's sums (in generated) receive before the target passes.
        private readonly Lane secondary;
        private readonly float[] headInputGradients;
        private readonly float[] taskLosses;
        private readonly float[] secondPartSums;

        private float* inputs;
        private float* targets;
        private int samples;
        private Loss loss;
        private int tasks;
        private Phase phase;

        public TwoThreadStep(HyperNetworkModel<TTarget> model)
        {
            this.model = model;
            HyperNetworkDescription description = model.description;
            secondary = new Lane(description, model.maxTasks * description.ChunkCount, model.maxSamplesPerTask, runsDecoder: false);
            headInputGradients = new float[Capacity("maxTasks", model.maxTasks * (long)description.ChunkCount, description.HeadInputs)];
            taskLosses = new float[model.maxTasks];
            secondPartSums = new float[model.generated.Length];
        }

        private enum Phase
        {
            HeadForward,
            Targets,
            HeadBackward,
        }

        /// <summary>The step after g's inputs are written: fills the gradients of g and returns the sum of the tasks' losses.</summary>
        public double Run(ReadOnlySpan<float> batchInputs, ReadOnlySpan<float> batchTargets, int samplesPerTask, Loss lossKind, int taskCount)
        {
            HyperNetworkDescription description = model.description;
            int rows = taskCount * description.ChunkCount;
            ReadOnlySpan<float> decoderInputs = model.decoderInputs.AsSpan(0, rows * description.DecoderInputSize);
            Span<float> workspace = model.primary.DecoderWorkspace.AsSpan(0, rows * description.DecoderWorkspacePerRow);
            model.decoder.ForwardBody(model.DecoderParameters, decoderInputs, rows, workspace);
            if (model.chunkAttention is not null)
            {
                model.AttendAcrossChunks(workspace, rows);
            }

            fixed (float* inputPointer = batchInputs)
            fixed (float* targetPointer = batchTargets)
            {
                inputs = inputPointer;
                targets = targetPointer;
                samples = samplesPerTask;
                loss = lossKind;
                tasks = taskCount;
                try
                {
                    phase = Phase.HeadForward;
                    model.worker!.Run(this);
                    phase = Phase.Targets;
                    model.worker.Run(this);
                    phase = Phase.HeadBackward;
                    model.worker.Run(this);
                }
                finally
                {
                    inputs = null;
                    targets = null;
                }
            }

            if (model.chunkAttention is not null)
            {
                model.AttendAcrossChunksBackward(workspace, headInputGradients.AsSpan(0, rows * description.HeadInputs), rows, model.ChunkAttentionGradients);
            }

            model.decoder.BackwardBody(
                model.DecoderParameters,
                decoderInputs,
                rows,
                workspace,
                headInputGradients.AsSpan(0, rows * description.HeadInputs),
                model.DecoderGradients,
                model.decoderInputGradients.AsSpan(0, rows * description.DecoderInputSize),
                model.primary.DecoderScratch.AsSpan(0, rows * description.DecoderScratchPerRow));

            double total = 0;
            for (int t = 0; t < taskCount; t++)
            {
                total += taskLosses[t];
            }

            return total;
        }

        public void Run(int part)
        {
            HyperNetworkDescription description = model.description;
            int rows = tasks * description.ChunkCount;
            int headSplit = model.split.Head;
            int headUnits = description.HeadUnits;
            ReadOnlySpan<float> decoderInputs = model.decoderInputs.AsSpan(0, rows * description.DecoderInputSize);
            ReadOnlySpan<float> workspace = model.primary.DecoderWorkspace.AsSpan(0, rows * description.DecoderWorkspacePerRow);
            int inputStart = part == 0 ? 0 : headSplit;
            int inputEnd = part == 0 ? headSplit : description.HeadInputs;
            switch (phase)
            {
                case Phase.HeadForward:
                {
                    // Each part also clears the gradients before (or after) the head, which the last phase writes.
                    (part == 0 ? model.gradients.AsSpan(0, description.HeadOffset) : model.gradients.AsSpan(description.HeadEnd)).Clear();
                    float[] sums = part == 0 ? model.generated : secondPartSums;
                    model.decoder.ForwardHead(model.DecoderParameters, decoderInputs, rows, workspace, inputStart, inputEnd, withBias: part == 0, sums.AsSpan(0, rows * headUnits));
                    break;
                }

                case Phase.Targets:
                {
                    int half = (tasks + 1) / 2;
                    int first = part == 0 ? 0 : half;
                    int count = part == 0 ? half : tasks - half;
                    if (count == 0)
                    {
                        return;
                    }

                    int firstRow = first * description.ChunkCount;
                    int laneRows = count * description.ChunkCount;
                    Span<float> generated = model.generated.AsSpan(firstRow * headUnits, laneRows * headUnits);
                    TensorPrimitives.Add(generated, secondPartSums.AsSpan(firstRow * headUnits, laneRows * headUnits), generated);
                    model.ScaleChunks(first, count);
                    model.AssembleWeights(first, count);
                    model.generatedGradients.AsSpan(firstRow * headUnits, laneRows * headUnits).Clear();
                    int inputSize = TTarget.InputSize;
                    int outputSize = TTarget.OutputSize;
                    Lane lane = part == 0 ? model.primary : secondary;
                    for (int t = first; t < first + count; t++)
                    {
                        var taskInputs = new ReadOnlySpan<float>(inputs + ((long)t * samples * inputSize), samples * inputSize);
                        var taskTargets = new ReadOnlySpan<float>(targets + ((long)t * samples * outputSize), samples * outputSize);
                        taskLosses[t] = model.TargetStep(lane, t, taskInputs, taskTargets, samples, loss, 1f / tasks);
                    }

                    break;
                }

                default:
                    model.decoder.BackwardHead(
                        model.DecoderParameters,
                        decoderInputs,
                        model.generatedGradients.AsSpan(0, rows * headUnits),
                        rows,
                        workspace,
                        model.DecoderGradients,
                        headInputGradients.AsSpan(0, rows * description.HeadInputs),
                        inputStart,
                        inputEnd,
                        withBias: part == 1);
                    break;
            }
        }
    }
}
