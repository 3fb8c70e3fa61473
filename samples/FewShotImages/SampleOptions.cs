using System;
using System.Globalization;

namespace FewShotImages;

/// <summary>The sample's command line.</summary>
public sealed record SampleOptions(
    string? DataFolder,
    int? EpisodeCount,
    int? MetaSteps,
    int? SelectionEpisodeCount,
    int Seed,
    string? JsonPath,
    string? PlotPath,
    string? MetricsPath,
    string? CheckpointPath,
    bool Smoke,
    bool Help)
{
    public const string Usage = """
        Usage: dotnet run --project samples/FewShotImages -c Release -- --data FOLDER [options]
          --data FOLDER            a folder with mnist/ and fashion-mnist/, each holding its data set's four IDX files
                                   (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-...; gzipped or not)
          --episodes N             meta-test episodes per shot count (default 600)
          --steps N                meta-training steps of the hypernetwork (default 6000; the pooled network gets
                                   half as many of 128 images)
          --selection-episodes N   meta-training-class episodes each method's candidate settings are tried on
                                   (default 100)
          --seed N                 the seed (default 1)
          --json PATH              write the figures as JSON
          --plot PATH              write a PNG of the accuracies with their 95 % intervals
          --metrics PATH           write the hypernetwork's meta-training log (CSV)
          --checkpoint PATH        write the trained hypernetwork's θ and Adam's state (safetensors)
          --smoke                  a short run on small synthetic images instead of --data (for CI)
          --help                   this text
        """;

    public int Episodes => EpisodeCount ?? (Smoke ? 10 : 600);

    public int Steps => MetaSteps ?? (Smoke ? 40 : 6000);

    public int PooledSteps => Math.Max(1, Steps / 2);

    public int SelectionEpisodes => SelectionEpisodeCount ?? (Smoke ? 4 : 100);

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions(null, null, null, null, 1, null, null, null, null, false, false);
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
                "--episodes" => options with { EpisodeCount = Whole(name, value, 1) },
                "--steps" => options with { MetaSteps = Whole(name, value, 1) },
                "--selection-episodes" => options with { SelectionEpisodeCount = Whole(name, value, 1) },
                "--seed" => options with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : throw new ArgumentException($"--seed needs a whole number, not '{value}'.") },
                "--json" => options with { JsonPath = value },
                "--plot" => options with { PlotPath = value },
                "--metrics" => options with { MetricsPath = value },
                "--checkpoint" => options with { CheckpointPath = value },
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
}
