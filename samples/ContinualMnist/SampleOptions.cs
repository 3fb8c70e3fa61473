using System;
using System.Globalization;
using HyperDsl;

namespace ContinualMnist;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(
    string? DataFolder,
    string Benchmark,
    string Method,
    int? Tasks,
    int? IterationsPerTask,
    float? Rate,
    float? RegularizerWeight,
    int RegularizedTasks,
    int Threads,
    int Seed,
    int? SeedCount,
    string? JsonPath,
    string? PlotPath,
    string? MetricsFolder,
    string? CheckpointFolder,
    bool NoLookahead,
    HyperfanInit Init,
    bool Standardise,
    bool Smoke,
    bool Help)
{
    public const string Usage = """
        Usage: dotnet run --project samples/ContinualMnist -c Release -- --data FOLDER [options]
          --data FOLDER            a folder with mnist/ holding MNIST's four IDX files (train-images-idx3-ubyte.gz,
                                   train-labels-idx1-ubyte.gz, t10k-...; gzipped or not)
          --benchmark B            split-mnist (5 tasks of two digits; default) or permuted-mnist (10 tasks of the
                                   10 digits, pixels padded to 32×32 and permuted per task)
          --method M               hnet (the hypernetwork with the output regulariser; default), unregularized (the
                                   hypernetwork without it), finetune (one network trained task after task) or all
          --tasks N                learn only the first N tasks
          --iterations N           steps per task (default: 2000 for split-mnist, 5000 for permuted-mnist)
          --lr X                   Adam's learning rate (default: 1e-3 split-mnist, 1e-4 permuted-mnist; 1e-3
                                   in a smoke run)
          --beta X                 the regulariser's weight β (default: 0.01 split-mnist, 0.1 permuted-mnist)
          --regularized-tasks N    earlier tasks whose outputs are held per step, drawn at random (default: all)
          --no-lookahead           take the regulariser's penalty at θ rather than where Adam's next step would put
                                   θ (the paper's look-ahead, used by default)
          --init I                 how the hypernetwork's θ starts: xavier (every layer Xavier-uniform, biases 0,
                                   W the head's output unscaled, as the paper's code; default) or hyperfan
                                   (HyperDsl's own default, hyperfan-in)
          --pixels P               unit (pixel / 255, in [0, 1], as the paper's code; default) or standardised
                                   (minus the training images' mean, over their deviation)
          --threads N              threads per hypernetwork step, 1 or 2 (default 2)
          --seed N                 the first seed (default 1)
          --seeds N                runs per method, seeded --seed, --seed + 1, ...; the figures are their mean
                                   (default: 3 for split-mnist, 1 for permuted-mnist)
          --json PATH              write the figures as JSON
          --plot PATH              write a PNG of each task's accuracy after each later task
          --metrics FOLDER         write each task's training log (CSV) there
          --checkpoints FOLDER     write θ and Adam's state after each task there (and the fine-tuned network)
          --smoke                  a short run on small synthetic images instead of --data (for CI)
          --help                   this text
        """;


    public bool IsSplit => Benchmark == "split-mnist";

    public int Iterations(ContinualBenchmark benchmark) => IterationsPerTask ?? (Smoke ? 60 : benchmark is SplitMnist ? 2000 : 5000);

    /// <summary>The paper's rates; a smoke run's few steps need 1e-3 on either benchmark to learn anything.</summary>
    public float LearningRate(ContinualBenchmark benchmark) => Rate ?? (benchmark is SplitMnist || Smoke ? 1e-3f : 1e-4f);

    public float Beta(ContinualBenchmark benchmark) => RegularizerWeight ?? (benchmark is SplitMnist ? 0.01f : 0.1f);

    public int Seeds => SeedCount ?? (Smoke || !IsSplit ? 1 : 3);

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(null, "split-mnist", "hnet", null, null, null, null, 0, 2, 1, null, null, null, null, null, false, HyperfanInit.Xavier, false, false, false);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                options = options with { Help = true };
                continue;
            }

            if (name == "--no-lookahead")
            {
                options = options with { NoLookahead = true };
                continue;
            }

            if (name == "--smoke")
            {
                options = options with { Smoke = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            string value = args[++i];
            options = name switch
            {
                "--data" => options with { DataFolder = value },
                "--benchmark" => options with { Benchmark = value is "split-mnist" or "permuted-mnist" ? value : throw new ArgumentException($"--benchmark is split-mnist or permuted-mnist, not '{value}'.") },
                "--method" => options with { Method = value is "hnet" or "unregularized" or "finetune" or "all" ? value : throw new ArgumentException($"--method is hnet, unregularized, finetune or all, not '{value}'.") },
                "--tasks" => options with { Tasks = Whole(name, value, 1) },
                "--iterations" => options with { IterationsPerTask = Whole(name, value, 1) },
                "--lr" => options with { Rate = (float)Positive(name, value) },
                "--beta" => options with { RegularizerWeight = (float)Positive(name, value) },
                "--regularized-tasks" => options with { RegularizedTasks = Whole(name, value, 1) },
                "--init" => options with { Init = value switch { "hyperfan" => HyperfanInit.FanIn, "xavier" => HyperfanInit.Xavier, _ => throw new ArgumentException($"--init is hyperfan or xavier, not '{value}'.") } },
                "--pixels" => options with { Standardise = value switch { "unit" => false, "standardised" => true, _ => throw new ArgumentException($"--pixels is unit or standardised, not '{value}'.") } },
                "--threads" => options with { Threads = value is "1" or "2" ? int.Parse(value, CultureInfo.InvariantCulture) : throw new ArgumentException($"--threads is 1 or 2, not '{value}'.") },
                "--seed" => options with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : throw new ArgumentException($"--seed needs a whole number, not '{value}'.") },
                "--seeds" => options with { SeedCount = Whole(name, value, 1) },
                "--json" => options with { JsonPath = value },
                "--plot" => options with { PlotPath = value },
                "--metrics" => options with { MetricsFolder = value },
                "--checkpoints" => options with { CheckpointFolder = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (!options.Help && !options.Smoke && options.DataFolder is null)
        {
            throw new ArgumentException("--data FOLDER is needed (or --smoke for a run on synthetic images).");
        }

        return options;
    }

    private static int Whole(string name, string value, int minimum)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name} needs a whole number of at least {minimum}, not '{value}'.");

    private static double Positive(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"{name} needs a positive number, not '{value}'.");
}
