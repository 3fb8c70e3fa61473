using System;

namespace HyperDsl;

/// <summary>
/// A trainable hypernetwork as the runtime sees it, whatever its architecture: θ and its gradients, a meta-batch
/// gradient, and the calls that few-shot adaptation needs. Every generated hypernetwork implements it.
/// </summary>
public interface IHyperModel
{
    /// <summary>Floats in θ.</summary>
    int ParameterCount { get; }

    /// <summary>Floats in the target network's parameter vector W.</summary>
    int TargetParameterCount { get; }

    /// <summary>The target network's inputs per sample.</summary>
    int InputSize { get; }

    /// <summary>The target network's outputs per sample.</summary>
    int OutputSize { get; }

    /// <summary>Rows of the learned task-embedding table (0 when tasks are given by condition vectors only).</summary>
    int Tasks { get; }

    /// <summary>Width of a learned task embedding (0 when there is no table).</summary>
    int EmbeddingSize { get; }

    /// <summary>Width of the condition vector per task (0 when there is none).</summary>
    int ConditionSize { get; }

    /// <summary>The most tasks one meta-batch may hold, fixed at construction.</summary>
    int MaxTasks { get; }

    /// <summary>The most samples per task a meta-batch may hold, fixed at construction.</summary>
    int MaxSamplesPerTask { get; }

    /// <summary>The most support pairs per task, fixed at construction: 0 unless the hypernetwork has a task encoder.</summary>
    int MaxSupportPerTask => 0;

    /// <summary>
    /// Threads a training step uses, 1 or 2: the one setting for the step and for an optimizer created for the model
    /// (<c>new Adam(model)</c>), which follows it.
    /// </summary>
    int Threads { get; set; }

    /// <summary>θ, flat.</summary>
    Span<float> Parameters { get; }

    /// <summary>∂L/∂θ from the last <see cref="ComputeGradients"/>, flat.</summary>
    Span<float> Gradients { get; }

    /// <summary>The learned task-embedding table, <c>[Tasks × EmbeddingSize]</c> row-major: a view into θ.</summary>
    ReadOnlySpan<float> TaskEmbeddings { get; }

    /// <summary>Initialises θ (hyperfan-in head, Kaiming body, N(0, 1) embeddings), deterministically for a seed.</summary>
    /// <param name="seed">The seed.</param>
    void Initialize(int seed);

    /// <summary>
    /// Initialises θ deterministically for a seed, the head aiming at hyperfan-in or hyperfan-out variance, or the body
    /// and head Xavier-uniform with W the head's output unscaled (<see cref="HyperfanInit.Xavier"/>).
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="init">Which variance the generated target layers start with.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="init"/> is not a member of <see cref="HyperfanInit"/>.</exception>
    void Initialize(int seed, HyperfanInit init);

    /// <summary>
    /// Runs every task of the batch through g and the target network, and <b>overwrites</b> <see cref="Gradients"/>
    /// with ∂(mean loss)/∂θ.
    /// </summary>
    /// <param name="batch">The meta-batch.</param>
    /// <param name="loss">The loss.</param>
    /// <returns>The mean loss over every sample of every task.</returns>
    /// <exception cref="ArgumentException">
    /// The batch does not fit the model, or a value is not finite (a target may be NaN under
    /// <see cref="Loss.MaskedSoftmaxCrossEntropy"/>, if every sample keeps one); nothing has been written.
    /// </exception>
    float ComputeGradients(TaskBatch batch, Loss loss);

    /// <summary>W = g(z) for an explicit task embedding (not a table row), e.g. one fitted to a new task.</summary>
    /// <param name="embedding">The embedding, EmbeddingSize floats.</param>
    /// <param name="condition">The condition vector, ConditionSize floats (empty when there is none).</param>
    /// <param name="targetParameters">Receives W, TargetParameterCount floats.</param>
    void GenerateFromEmbedding(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, Span<float> targetParameters);

    /// <summary>
    /// The loss of one task's samples under W = g(embedding) and its gradient with respect to the embedding, with θ
    /// held fixed: the same backward pass as training, stopped at the decoder's input. Leaves θ and
    /// <see cref="Gradients"/> unchanged.
    /// </summary>
    /// <param name="embedding">The embedding, EmbeddingSize floats.</param>
    /// <param name="condition">The condition vector, ConditionSize floats (empty when there is none).</param>
    /// <param name="inputs">The samples, <c>[samples × InputSize]</c>.</param>
    /// <param name="targets">Their targets, <c>[samples × OutputSize]</c>.</param>
    /// <param name="samples">The number of samples, at most MaxSamplesPerTask.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="embeddingGradient">Receives ∂(mean loss)/∂embedding.</param>
    /// <returns>The mean loss.</returns>
    float ComputeEmbeddingGradient(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> embeddingGradient);

    /// <summary>
    /// The loss of one task's samples under W = g([embedding ; condition]) and its gradient with respect to the
    /// condition vector, with θ held fixed: for fitting the condition of a task whose descriptor is not known. Leaves
    /// θ and <see cref="Gradients"/> unchanged.
    /// </summary>
    /// <param name="embedding">The embedding, EmbeddingSize floats (empty when there is no table).</param>
    /// <param name="condition">The condition vector, ConditionSize floats.</param>
    /// <param name="inputs">The samples, <c>[samples × InputSize]</c>.</param>
    /// <param name="targets">Their targets, <c>[samples × OutputSize]</c>.</param>
    /// <param name="samples">The number of samples, at most MaxSamplesPerTask.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="conditionGradient">Receives ∂(mean loss)/∂condition.</param>
    /// <returns>The mean loss.</returns>
    float ComputeConditionGradient(
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> condition,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        int samples,
        Loss loss,
        Span<float> conditionGradient);

    /// <summary>The target network's outputs on <paramref name="inputs"/> with W = g(embedding).</summary>
    /// <param name="embedding">The embedding, EmbeddingSize floats.</param>
    /// <param name="condition">The condition vector, ConditionSize floats (empty when there is none).</param>
    /// <param name="inputs">The samples, <c>[samples × InputSize]</c>; any number.</param>
    /// <param name="samples">The number of samples.</param>
    /// <param name="outputs">Receives the outputs, <c>[samples × OutputSize]</c>.</param>
    void Predict(ReadOnlySpan<float> embedding, ReadOnlySpan<float> condition, ReadOnlySpan<float> inputs, int samples, Span<float> outputs);

    /// <summary>
    /// Adds to <see cref="Gradients"/> the gradient of <c>scale · Σᵢ ‖W(task i) − anchors[i]‖²</c> with respect to θ and
    /// returns that sum, where W(task i) is the target parameter vector g generates for the i-th task under the current
    /// θ (shared layers included). The gradient reaches g, the task embeddings, the chunk embeddings and the shared
    /// layers. Call it after <see cref="ComputeGradients"/>, which overwrites the gradients, and before the optimizer's
    /// step: it is the output regulariser of continual learning (von Oswald et al., 2020), which
    /// <see cref="Training.OutputRegularizer"/> drives. Allocation-free; runs on the calling thread.
    /// </summary>
    /// <param name="taskIds">The tasks' rows of the embedding table; empty when the hypernetwork has no table.</param>
    /// <param name="conditions">The tasks' condition vectors, <c>[tasks × ConditionSize]</c>; empty when there are none.</param>
    /// <param name="anchors">Each task's anchor, <c>[tasks × TargetParameterCount]</c>.</param>
    /// <param name="scale">The factor on the sum of squares, finite and at least 0.</param>
    /// <returns>The penalty, <c>scale · Σᵢ ‖W(task i) − anchors[i]‖²</c>.</returns>
    /// <exception cref="ArgumentException">No task is given, the lengths do not match the number of tasks, or a condition or anchor is not finite; nothing has been written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A task id is outside the table, or <paramref name="scale"/> is negative or not finite; nothing has been written.</exception>
    float AddAnchorPenaltyGradients(ReadOnlySpan<int> taskIds, ReadOnlySpan<float> conditions, ReadOnlySpan<float> anchors, float scale);
}
