using System.Collections.Generic;
using System.IO;
using ScottPlot;
using Sinusoid;

namespace FewShotImages;

/// <summary>A PNG of each method's query accuracy at each shot count, as bars with their 95 % intervals.</summary>
public static class AccuracyPlot
{
    public static void Save(string path, IReadOnlyList<int> shots, IReadOnlyList<string> methods, Estimate[,] results)
    {
        var plot = new Plot();
        Color[] colors = [Colors.SteelBlue, Colors.Gray, Colors.DarkOrange, Colors.SeaGreen, Colors.Purple];
        var ticks = new List<Tick>();
        for (int k = 0; k < shots.Count; k++)
        {
            double center = k * (methods.Count + 1);
            ticks.Add(new Tick(center + ((methods.Count - 1) / 2.0), $"5-way {shots[k]}-shot"));
            for (int m = 0; m < methods.Count; m++)
            {
                plot.Add.Bar(new Bar
                {
                    Position = center + m,
                    Value = 100 * results[k, m].Mean,
                    Error = 100 * results[k, m].HalfWidth,
                    FillColor = colors[m % colors.Length],
                });
            }
        }

        for (int m = 0; m < methods.Count; m++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = methods[m], FillColor = colors[m % colors.Length] });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        // The bars start at chance (20 %), so that the differences between methods show.
        plot.Axes.SetLimitsY(20, 100);
        plot.YLabel("query accuracy on unseen classes (%)");
        plot.Title("Few-shot classification: 5-way episodes of unseen rotated digit and garment classes");
        plot.ShowLegend(Edge.Right);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, 900, 480);
    }
}
