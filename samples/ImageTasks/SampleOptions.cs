using System;
using System.Globalization;

namespace ImageTasks;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(string? DataFolder, double Epochs, string Variant, float LearningRate, int Threads, int Seed, int Seeds, string? JsonPath, bool Smoke, bool Help)
{
    public const string Usage = """
        Usage: dotnet run --project samples/ImageTasks -c Release -- --data FOLDER [options]
          --data FOLDER   a folder with mnist/ and fashion-mnist/, each holding the four IDX files
                          (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-...)
          --epochs N      passes over the 60,000 training images of each task (default 12)
          --variant V     generated (LeNetHyper), shared (SharedConvLeNetHyper), direct (LeNet
                          trained on each task without a hypernetwork) or all (default)
          --lr X          the peak learning rate of Adam's cosine schedule (default 0.003)
          --threads N     threads per training step, 1 or 2 (default 2)
          --seed N        seed of the whole run (default 1)
          --seeds N       N runs of each variant, seeded --seed, --seed + 1, ...; the figures are their
                          mean (default 1)
          --json PATH     write the figures as JSON
          --smoke         a short run on small synthetic images instead of --data (for CI)
          --help          this text
        """;

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(null, 12, "all", 3e-3f, 2, 1, 1, null, false, false);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                options = options with { Help = true };
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
                "--epochs" => options with { Epochs = PositiveNumber(name, value) },
                "--variant" => options with { Variant = value is "generated" or "shared" or "direct" or "all" ? value : throw new ArgumentException($"--variant is generated, shared, direct or all, not '{value}'.") },
                "--lr" => options with { LearningRate = (float)PositiveNumber(name, value) },
                "--threads" => options with { Threads = value is "1" or "2" ? int.Parse(value, CultureInfo.InvariantCulture) : throw new ArgumentException($"--threads is 1 or 2, not '{value}'.") },
                "--seed" => options with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : throw new ArgumentException($"--seed needs a whole number, not '{value}'.") },
                "--seeds" => options with { Seeds = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seeds) && seeds >= 1 ? seeds : throw new ArgumentException($"--seeds needs a whole number of at least 1, not '{value}'.") },
                "--json" => options with { JsonPath = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (!options.Help && !options.Smoke && options.DataFolder is null)
        {
            throw new ArgumentException("--data FOLDER is needed (or --smoke for a run on synthetic images).");
        }

        return options;
    }

    private static double PositiveNumber(string name, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"{name} needs a positive number, not '{value}'.");
}
