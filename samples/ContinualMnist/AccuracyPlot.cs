using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;

namespace ContinualMnist;

/// <summary>A PNG with a panel per method: each task's test accuracy after each task learned from it on.</summary>
public static class AccuracyPlot
{
    public static void Save(string path, string benchmark, IReadOnlyDictionary<string, double?[][]> matrices)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(matrices.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 1, columns: matrices.Count);
        int panel = 0;
        foreach ((string method, double?[][] matrix) in matrices)
        {
            Plot plot = multiplot.GetPlot(panel++);
            int tasks = matrix.Length;
            for (int t = 0; t < tasks; t++)
            {
                double[] xs = Enumerable.Range(t + 1, tasks - t).Select(i => (double)i).ToArray();
                double[] ys = Enumerable.Range(t, tasks - t).Select(i => 100 * matrix[i][t]!.Value).ToArray();
                var line = plot.Add.ScatterLine(xs, ys);
                line.LegendText = $"task {t + 1}";
                line.LineWidth = 2;
                line.MarkerSize = 6;
            }

            plot.Title($"{benchmark}: {method}");
            plot.XLabel("tasks learned");
            plot.YLabel("test accuracy (%)");
            plot.Axes.SetLimitsX(0.5, tasks + 0.5);
            plot.Legend.IsVisible = panel == 1;
            plot.Legend.Alignment = Alignment.LowerLeft;
        }

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        multiplot.SavePng(full, 500 * matrices.Count, 420);
    }
}
