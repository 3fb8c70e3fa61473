using System;
using System.Collections.Generic;
using System.Linq;
using HyperDsl.Tests.Hyper;
using HyperDsl.Tests.Numerics;
using HyperDsl.Tests.Reference;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Training;

/// <summary>
/// The output regulariser against central finite differences of the double-precision reference's penalty, at a θ that
/// has moved away from the one the anchors were taken at (there the penalty and its gradient are zero, and a check
/// could not fail); its task choice, its bookkeeping and its refusals.
/// </summary>
[Trait("Category", "Numerics")]
public sealed class OutputRegularizerTests
{
    public static IEnumerable<object[]> Hypernetworks => new[]
    {
        new object[] { "FullEmbeddingHyper" },
        new object[] { "FullConditionHyper" },
        new object[] { "ChunkedBothHyper" },
        new object[] { "ConvFullHyper" },
        new object[] { "PoolChunkedHyper" },
        new object[] { "SharedFullHyper" },
        new object[] { "SharedChunkedHyper" },
    };

    [Theory]
    [MemberData(nameof(Hypernetworks))]
    public void The_penalty_and_its_gradient_match_finite_differences_of_the_reference_after_theta_moves(string name)
    {
        // maxTasks 1 with two tasks: the model handles them in two groups.
        (IHyperModel model, ReferenceHyperNetwork reference) = HyperCatalog.Create(name, maxTasks: 1, maxSamplesPerTask: 2);
        model.Initialize(seed: 17);
        var random = new Random(23);
        (int[] ids, float[] conditions) = TwoTasks(model, random);
        const float Beta = 0.7f;
        var regularizer = new OutputRegularizer(model, Beta, capacity: 2);
        for (int t = 0; t < 2; t++)
        {
            regularizer.Remember(ids[t], conditions.AsSpan(t * model.ConditionSize, model.ConditionSize));
        }

        // θ moves: every parameter, embeddings and shared layers included, by up to 0.05.
        Span<float> theta = model.Parameters;
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] += (float)((random.NextDouble() - 0.5) * 0.1);
        }

        double[] anchors0 = HyperBatchData.ToDouble(regularizer.Anchor(0));
        double[] anchors1 = HyperBatchData.ToDouble(regularizer.Anchor(1));
        double Penalty(double[] point)
        {
            double sum = 0;
            for (int t = 0; t < 2; t++)
            {
                double[] embedding = reference.Tasks > 0 ? reference.Embedding(point, ids[t]) : Array.Empty<double>();
                double[] condition = HyperBatchData.ToDouble(conditions.AsSpan(t * reference.ConditionSize, reference.ConditionSize));
                double[] weights = reference.Generate(point, embedding, condition);
                double[] anchor = t == 0 ? anchors0 : anchors1;
                sum += weights.Select((w, p) => (w - anchor[p]) * (w - anchor[p])).Sum();
            }

            return Beta / 2 * sum;
        }

        model.Gradients.Clear();
        float penalty = regularizer.AddGradients();
        double[] point = HyperBatchData.ToDouble(model.Parameters);
        double expected = Penalty(point);
        Assert.True(expected > 1e-4, $"{name}: θ has moved, so the penalty is not 0 ({expected})");
        Assert.True(Math.Abs(penalty - expected) <= 1e-4 * (1 + expected), $"{name}: penalty {penalty}, reference {expected}");
        Tolerance.AssertClose(model.Gradients, HyperNetworkGradientTests.FiniteDifferences(point, Penalty), 1e-3, $"{name}: ∂penalty/∂θ");
    }

    [Fact]
    public void The_gradient_is_added_to_what_is_there_and_theta_is_left_alone()
    {
        (IHyperModel model, _) = HyperCatalog.Create("ChunkedEmbeddingHyper", maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(seed: 4);
        var regularizer = new OutputRegularizer(model, 0.5f, capacity: 3);
        regularizer.Remember(0);
        regularizer.Remember(2);
        model.Parameters[model.ParameterCount - 1] += 0.3f;
        float[] theta = model.Parameters.ToArray();

        model.Gradients.Clear();
        regularizer.AddGradients();
        float[] alone = model.Gradients.ToArray();
        Assert.Contains(alone, g => g != 0f);

        var random = new Random(2);
        float[] before = RandomData.Uniform(model.ParameterCount, -1f, 1f, random);
        before.CopyTo(model.Gradients);
        regularizer.AddGradients();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] + alone[i], model.Gradients[i], 5);
        }

        Assert.Equal(theta, model.Parameters.ToArray());
    }

    [Fact]
    public void The_look_ahead_takes_the_penalty_where_the_optimizer_s_step_would_put_theta_and_undoes_that_step()
    {
        // Two copies of one evolved state: Adam's moments and θ moved by a few steps.
        IHyperModel model = Create();
        IHyperModel copy = Create();
        var adam = new Adam(model, 0.01f);
        var copyAdam = new Adam(copy, 0.01f);
        var regularizer = new OutputRegularizer(model, 0.5f, capacity: 2);
        var copyRegularizer = new OutputRegularizer(copy, 0.5f, capacity: 2);
        regularizer.Remember(0);
        copyRegularizer.Remember(0);
        var random = new Random(3);
        for (int step = 0; step < 3; step++)
        {
            float[] moved = RandomData.Uniform(model.ParameterCount, -1f, 1f, random);
            adam.Step(model.Parameters, moved);
            copyAdam.Step(copy.Parameters, moved);
        }

        float[] taskGradients = RandomData.Uniform(model.ParameterCount, -1f, 1f, random);
        float[] theta = model.Parameters.ToArray();
        float[] firstMoment = adam.FirstMoment.ToArray();
        float[] secondMoment = adam.SecondMoment.ToArray();
        taskGradients.CopyTo(model.Gradients);
        float penalty = regularizer.AddGradients(adam);

        // θ and Adam's state are as they were.
        Assert.Equal(theta, model.Parameters.ToArray());
        Assert.Equal(firstMoment, adam.FirstMoment.ToArray());
        Assert.Equal(secondMoment, adam.SecondMoment.ToArray());
        Assert.Equal(3, adam.StepCount);

        // The copy takes the step for real and adds the penalty's gradient there: the same numbers.
        copyAdam.Step(copy.Parameters, taskGradients);
        taskGradients.CopyTo(copy.Gradients);
        float expected = copyRegularizer.AddGradients();
        Assert.True(expected > 0f, "the step moved θ away from the anchor");
        Assert.Equal(expected, penalty);
        Assert.Equal(copy.Gradients.ToArray(), model.Gradients.ToArray());

        // Without it the penalty is the one at θ, a different number.
        taskGradients.CopyTo(model.Gradients);
        Assert.NotEqual(penalty, regularizer.AddGradients());
        Assert.Equal("lookahead", Assert.Throws<ArgumentException>(() => regularizer.AddGradients(copyAdam)).ParamName);
    }

    private static IHyperModel Create()
    {
        (IHyperModel created, _) = HyperCatalog.Create("ChunkedEmbeddingHyper", maxTasks: 1, maxSamplesPerTask: 2);
        created.Initialize(seed: 9);
        return created;
    }

    [Fact]
    public void At_the_anchors_the_penalty_is_zero_and_nothing_is_remembered_adds_nothing()
    {
        (IHyperModel model, _) = HyperCatalog.Create("FullEmbeddingHyper", maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(seed: 6);
        var regularizer = new OutputRegularizer(model, 1f, capacity: 2);
        model.Gradients.Fill(0.25f);
        Assert.Equal(0f, regularizer.AddGradients());
        Assert.All(model.Gradients.ToArray(), g => Assert.Equal(0.25f, g));

        regularizer.Remember(1);
        model.Gradients.Clear();
        Assert.Equal(0f, regularizer.AddGradients());
        Assert.All(model.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Remembering_a_task_again_replaces_its_anchor()
    {
        (IHyperModel model, _) = HyperCatalog.Create("FullEmbeddingHyper", maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(seed: 6);
        var regularizer = new OutputRegularizer(model, 1f, capacity: 2);
        regularizer.Remember(1);
        float[] first = regularizer.Anchor(0).ToArray();
        model.Parameters[model.ParameterCount - 1] += 1f;
        regularizer.Remember(1);
        Assert.Equal(1, regularizer.Count);
        Assert.NotEqual(first, regularizer.Anchor(0).ToArray());

        float[] expected = new float[model.TargetParameterCount];
        model.GenerateFromEmbedding(model.TaskEmbeddings.Slice(model.EmbeddingSize, model.EmbeddingSize), default, expected);
        Assert.Equal(expected, regularizer.Anchor(0).ToArray());
    }

    [Fact]
    public void A_subset_per_step_draws_that_many_tasks_with_beta_over_the_subset()
    {
        (IHyperModel model, _) = HyperCatalog.Create("FullEmbeddingHyper", maxTasks: 3, maxSamplesPerTask: 2);
        model.Initialize(seed: 8);
        var all = new OutputRegularizer(model, 0.6f, capacity: 3);
        var one = new OutputRegularizer(model, 0.6f, capacity: 3, tasksPerStep: 1, seed: 5);
        for (int t = 0; t < 3; t++)
        {
            all.Remember(t);
            one.Remember(t);
        }

        // Each task moved away by a different amount, so each one's penalty is its own.
        Span<float> theta = model.Parameters;
        for (int t = 0; t < 3; t++)
        {
            theta[(t * model.EmbeddingSize) + 1] += 0.1f * (t + 1);
        }

        float[] single = new float[3];
        for (int t = 0; t < 3; t++)
        {
            single[t] = model.AddAnchorPenaltyGradients(new[] { t }, default, all.Anchor(t), 0.6f);
        }

        Assert.Equal(single.Sum() / 3, all.AddGradients(), 4);
        var seen = new HashSet<int>();
        for (int draw = 0; draw < 40; draw++)
        {
            float penalty = one.AddGradients();
            int task = Array.FindIndex(single, s => Math.Abs(s - penalty) <= 1e-4f * (1 + s));
            Assert.True(task >= 0, $"a draw of one task gives one task's penalty with β over 1 ({penalty}; tasks: {string.Join(", ", single)})");
            seen.Add(task);
        }

        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_argument_named_and_nothing_changed()
    {
        (IHyperModel model, _) = HyperCatalog.Create("FullBothHyper", maxTasks: 2, maxSamplesPerTask: 2);
        model.Initialize(seed: 2);
        float[] condition = { 0.5f, -0.5f };
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new OutputRegularizer(model, float.NaN, 2)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new OutputRegularizer(model, -1f, 2)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new OutputRegularizer(model, 1f, 0)).ParamName);
        Assert.Equal("tasksPerStep", Assert.Throws<ArgumentOutOfRangeException>(() => new OutputRegularizer(model, 1f, 2, tasksPerStep: -1)).ParamName);

        var regularizer = new OutputRegularizer(model, 1f, capacity: 1);
        Assert.Contains("condition", Assert.Throws<InvalidOperationException>(() => regularizer.Remember(0)).Message);
        Assert.Equal("taskId", Assert.Throws<ArgumentOutOfRangeException>(() => regularizer.Remember(3, condition)).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentException>(() => regularizer.Remember(0, new float[3])).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentException>(() => regularizer.Remember(0, new[] { float.NaN, 0f })).ParamName);
        Assert.Equal(0, regularizer.Count);
        regularizer.Remember(0, condition);
        Assert.Contains("capacity", Assert.Throws<InvalidOperationException>(() => regularizer.Remember(1, condition)).Message);
        Assert.Equal(1, regularizer.Count);

        float[] anchors = new float[model.TargetParameterCount];
        float[] gradients = RandomData.Uniform(model.ParameterCount, -1f, 1f, new Random(1));
        gradients.CopyTo(model.Gradients);
        float[] theta = model.Parameters.ToArray();
        Assert.Equal("taskIds", Assert.Throws<ArgumentOutOfRangeException>(() => model.AddAnchorPenaltyGradients(new[] { 5 }, condition, anchors, 1f)).ParamName);
        Assert.Equal("taskIds", Assert.Throws<ArgumentException>(() => model.AddAnchorPenaltyGradients(default, default, default, 1f)).ParamName);
        Assert.Equal("conditions", Assert.Throws<ArgumentException>(() => model.AddAnchorPenaltyGradients(new[] { 0 }, new float[1], anchors, 1f)).ParamName);
        Assert.Equal("anchors", Assert.Throws<ArgumentException>(() => model.AddAnchorPenaltyGradients(new[] { 0 }, condition, new float[3], 1f)).ParamName);
        anchors[2] = float.PositiveInfinity;
        Assert.Equal("anchors", Assert.Throws<ArgumentException>(() => model.AddAnchorPenaltyGradients(new[] { 0 }, condition, anchors, 1f)).ParamName);
        anchors[2] = 0f;
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => model.AddAnchorPenaltyGradients(new[] { 0 }, condition, anchors, -2f)).ParamName);
        Assert.Equal(gradients, model.Gradients.ToArray());
        Assert.Equal(theta, model.Parameters.ToArray());
    }

    /// <summary>Two tasks: rows 0 and the last of the table where there is one, and random conditions where they are taken.</summary>
    private static (int[] Ids, float[] Conditions) TwoTasks(IHyperModel model, Random random)
    {
        int[] ids = model.Tasks > 0 ? new[] { 0, model.Tasks - 1 } : new[] { 0, 0 };
        float[] conditions = RandomData.Uniform(2 * model.ConditionSize, -1f, 1f, random);
        return (ids, conditions);
    }
}
