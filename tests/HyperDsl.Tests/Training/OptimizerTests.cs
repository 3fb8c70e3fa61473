using System;
using System.Linq;
using HyperDsl.Training;
using Xunit;

namespace HyperDsl.Tests.Training;

/// <summary>
/// The optimizers against hand-computed steps and against the update rules of torch.optim written out in double
/// precision, over 19 parameters (a vector part and a scalar tail) and several steps.
/// </summary>
public sealed class OptimizerTests
{
    [Fact]
    public void Adam_first_step_moves_each_parameter_by_the_learning_rate_thanks_to_bias_correction()
    {
        float[] p = { 1f, -2f, 3f };
        var adam = new Adam(3, learningRate: 0.1f);
        adam.Step(p, new[] { 0.5f, -0.001f, 40f });

        // m̂ = g and v̂ = g² after one step, so each parameter moves by η·sign(g).
        Assert.Equal(0.9f, p[0], 6);
        Assert.Equal(-1.9f, p[1], 4);
        Assert.Equal(2.9f, p[2], 6);
    }

    [Fact]
    public void Adam_second_step_matches_the_hand_computed_value()
    {
        float[] p = { 1f };
        var adam = new Adam(1, learningRate: 0.1f);
        adam.Step(p, new[] { 0.5f });
        adam.Step(p, new[] { -0.25f });

        // m = 0.9·0.05 − 0.025 = 0.02, v = 0.999·0.00025 + 0.0000625 = 0.00031225,
        // p = 0.9 − 0.1·(0.02/0.19)/√(0.00031225/0.001999) = 0.8733661...
        Assert.Equal(0.8733661, p[0], 5);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void AdamW_decays_the_parameters_not_the_gradient()
    {
        float[] p = { 2f };
        var adamW = new AdamW(1, learningRate: 0.1f, weightDecay: 0.5f);
        adamW.Step(p, new[] { 1f });

        // p·(1 − η·λ) = 1.9, then the first Adam step of −η: 1.8.
        Assert.Equal(1.8f, p[0], 6);

        float[] q = { 2f };
        var adam = new Adam(1, learningRate: 0.1f, weightDecay: 0.5f);
        adam.Step(q, new[] { 1f });

        // Coupled: the gradient becomes 1 + 0.5·2 = 2; the first step still moves by η.
        Assert.Equal(1.9f, q[0], 6);
    }

    [Fact]
    public void Sgd_with_momentum_and_nesterov_match_hand_computed_steps()
    {
        float[] plain = { 1f };
        new Sgd(1, learningRate: 0.1f).Step(plain, new[] { 0.5f });
        Assert.Equal(0.95f, plain[0], 6);

        float[] heavy = { 1f };
        var momentum = new Sgd(1, learningRate: 0.1f, momentum: 0.9f);
        momentum.Step(heavy, new[] { 0.5f });   // b = 0.5, p = 0.95
        momentum.Step(heavy, new[] { 0.25f });  // b = 0.45 + 0.25 = 0.7, p = 0.88
        Assert.Equal(0.88f, heavy[0], 6);

        float[] nesterov = { 1f };
        var look = new Sgd(1, learningRate: 0.1f, momentum: 0.9f, nesterov: true);
        look.Step(nesterov, new[] { 0.5f });    // b = 0.5, d = 0.5 + 0.45 = 0.95, p = 0.905
        look.Step(nesterov, new[] { 0.25f });   // b = 0.7, d = 0.25 + 0.63 = 0.88, p = 0.817
        Assert.Equal(0.817f, nesterov[0], 5);
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("Sgd")]
    [InlineData("SgdNesterovDecay")]
    public void Many_parameters_over_many_steps_follow_the_torch_rules(string kind)
    {
        const int count = 19;
        var random = new Random(3);
        float[] p = Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 4f) - 2f).ToArray();
        double[] reference = p.Select(v => (double)v).ToArray();
        double[] m = new double[count];
        double[] v2 = new double[count];
        IOptimizer optimizer = kind switch
        {
            "Adam" => new Adam(count, learningRate: 0.01f, weightDecay: 0.1f),
            "AdamW" => new AdamW(count, learningRate: 0.01f, weightDecay: 0.1f),
            "Sgd" => new Sgd(count, learningRate: 0.05f, momentum: 0.8f, dampening: 0.1f),
            _ => new Sgd(count, learningRate: 0.05f, momentum: 0.8f, weightDecay: 0.01f, nesterov: true),
        };

        for (int t = 1; t <= 5; t++)
        {
            float[] g = Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2f) - 1f).ToArray();
            optimizer.Step(p, g);
            for (int i = 0; i < count; i++)
            {
                switch (kind)
                {
                    case "Adam":
                    case "AdamW":
                        double gradient = g[i] + (kind == "Adam" ? 0.1 * reference[i] : 0);
                        if (kind == "AdamW")
                        {
                            reference[i] *= 1 - (0.01 * 0.1);
                        }

                        m[i] = (0.9 * m[i]) + (0.1 * gradient);
                        v2[i] = (0.999 * v2[i]) + (0.001 * gradient * gradient);
                        double mHat = m[i] / (1 - Math.Pow(0.9, t));
                        double vHat = v2[i] / (1 - Math.Pow(0.999, t));
                        reference[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
                        break;
                    default:
                        bool nesterov = kind != "Sgd";
                        double d = g[i] + (nesterov ? 0.01 * reference[i] : 0);
                        m[i] = t == 1 ? d : (0.8 * m[i]) + ((nesterov ? 1.0 : 0.9) * d);
                        reference[i] -= 0.05 * (nesterov ? d + (0.8 * m[i]) : m[i]);
                        break;
                }
            }
        }

        for (int i = 0; i < count; i++)
        {
            Assert.True(Math.Abs(p[i] - reference[i]) <= 1e-5 * (1 + Math.Abs(reference[i])), $"{kind}: parameter {i} is {p[i]}, torch's rule gives {reference[i]}");
        }
    }

    [Fact]
    public void Reset_forgets_the_moments()
    {
        float[] a = { 1f, 2f };
        float[] b = { 1f, 2f };
        var adam = new Adam(2, learningRate: 0.1f);
        adam.Step(a, new[] { 3f, -1f });
        adam.Reset();
        a = new[] { 1f, 2f };
        adam.Step(a, new[] { 0.5f, 0.5f });
        new Adam(2, learningRate: 0.1f).Step(b, new[] { 0.5f, 0.5f });
        Assert.Equal(b, a);
    }

    [Fact]
    public void Bad_settings_and_spans_are_named()
    {
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(3, beta1: 1f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(3, epsilon: 0f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(3, learningRate: float.NaN)).ParamName);
        Assert.Throws<ArgumentException>(() => new Sgd(3, nesterov: true));
        var exception = Assert.Throws<ArgumentException>(() => new Adam(3).Step(new float[3], new float[2]));
        Assert.Contains("gradients holds 2 floats; this optimizer was built for 3", exception.Message);
    }

    [Fact]
    public void Clipping_scales_to_the_maximum_norm_and_returns_the_norm_before()
    {
        float[] g = { 3f, 4f };
        Assert.Equal(5f, GradientClipping.ClipByNorm(g, 1f));
        Assert.Equal(0.6f, g[0], 5);
        Assert.Equal(0.8f, g[1], 5);
        float[] small = { 0.3f, 0.4f };
        Assert.Equal(0.5f, GradientClipping.ClipByNorm(small, 1f), 6);
        Assert.Equal(new[] { 0.3f, 0.4f }, small);
    }

    [Fact]
    public void Schedules_give_the_documented_rates()
    {
        Assert.Equal(0.1f, new ConstantSchedule(0.1f).LearningRate(1000));
        var step = new StepSchedule(1f, stepSize: 10, gamma: 0.5f);
        Assert.Equal(1f, step.LearningRate(10));
        Assert.Equal(0.5f, step.LearningRate(11));
        Assert.Equal(0.25f, step.LearningRate(21));
        var cosine = new CosineSchedule(1f, totalSteps: 110, warmupSteps: 10, minimum: 0.1f);
        Assert.Equal(0.5f, cosine.LearningRate(5), 6);
        Assert.Equal(1f, cosine.LearningRate(10), 6);
        Assert.Equal(0.55f, cosine.LearningRate(60), 5);
        Assert.Equal(0.1f, cosine.LearningRate(110), 6);
        Assert.Equal(0.1f, cosine.LearningRate(500), 6);
    }
}
