using System;
using System.Globalization;

namespace Sinusoid;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(int Steps, int EncoderSteps, int EvaluationTasks, int Seed, string? JsonPath, string PlotPath, string? MetricsPath, string CheckpointPath, bool Help)
{
    public const string Usage = """
        Usage: dotnet run --project samples/Sinusoid -c Release -- [options]
          --steps N         meta-training steps of the embedding hypernetwork (default 20000)
          --encoder-steps N meta-training steps of the encoder hypernetwork (default 20000)
          --eval-tasks N    unseen tasks to evaluate (default 1000)
          --seed N          seed of the whole run (default 1)
          --json PATH       write the figures as JSON
          --plot PATH       the PNG plot of unseen tasks (default artifacts/sinusoid.png)
          --metrics PATH    a training log, CSV or JSON lines (.jsonl)
          --checkpoint PATH the trained hypernetwork and Adam's state, as safetensors
                            (default artifacts/sinusoid.safetensors)
          --help            this text
        """;

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(20000, 20000, 1000, 1, null, "artifacts/sinusoid.png", null, "artifacts/sinusoid.safetensors", false);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                options = options with { Help = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            string value = args[++i];
            options = name switch
            {
                "--steps" => options with { Steps = PositiveInt(name, value) },
                "--encoder-steps" => options with { EncoderSteps = PositiveInt(name, value) },
                "--eval-tasks" => options with { EvaluationTasks = PositiveInt(name, value) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--json" => options with { JsonPath = value },
                "--plot" => options with { PlotPath = value },
                "--metrics" => options with { MetricsPath = value },
                "--checkpoint" => options with { CheckpointPath = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static int PositiveInt(string name, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
