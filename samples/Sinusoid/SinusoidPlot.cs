using System;
using System.Linq;
using ScottPlot;

namespace Sinusoid;

/// <summary>A PNG of a few unseen tasks: the true curve, the support points, and each method's predictions.</summary>
public static class SinusoidPlot
{
    public static void Save(string path, SineHyper model, EvaluationResult result)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(result.Examples.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: (result.Examples.Count + 1) / 2);
        double[] xs = Enumerable.Range(0, 201).Select(i => SinusoidFamily.MinX + (i * (SinusoidFamily.MaxX - SinusoidFamily.MinX) / 200.0)).ToArray();
        for (int e = 0; e < result.Examples.Count; e++)
        {
            EvaluatedTask example = result.Examples[e];
            Plot plot = multiplot.GetPlot(e);
            var truth = plot.Add.ScatterLine(xs, xs.Select(x => (double)example.Task.Evaluate((float)x)).ToArray());
            truth.LegendText = "truth";
            truth.LineWidth = 2;
            truth.Color = Colors.Black;

            float[] grid = xs.Select(x => (float)x).ToArray();
            AddPrediction(plot, model, example.Embedding5, grid, "adapted, K = 5", Colors.OrangeRed, LinePattern.Dashed);
            AddPrediction(plot, model, example.Embedding10, grid, "adapted, K = 10", Colors.SteelBlue, LinePattern.Solid);
            // The mean encoder and the one with set attention, the first two methods.
            if (example.Encoded.Count >= 2)
            {
                AddLine(plot, grid, Encoded(example.Encoded[0].K5, grid), "encoder, K = 5", Colors.SeaGreen, LinePattern.Dashed);
                AddLine(plot, grid, Encoded(example.Encoded[0].K10, grid), "encoder, K = 10", Colors.DarkViolet, LinePattern.Solid);
                AddLine(plot, grid, Encoded(example.Encoded[1].K5, grid), "attention, K = 5", Colors.DarkOrange, LinePattern.Dotted);
                AddLine(plot, grid, Encoded(example.Encoded[1].K10, grid), "attention, K = 10", Colors.Teal, LinePattern.Dotted);
            }

            var support = plot.Add.ScatterPoints(example.SupportX.Take(5).Select(x => (double)x).ToArray(), example.SupportY.Take(5).Select(y => (double)y).ToArray());
            support.LegendText = "K = 5 support";
            support.MarkerSize = 10;
            support.Color = Colors.OrangeRed;

            plot.Title($"A = {example.Task.Amplitude:F2}, φ = {example.Task.Phase:F2}");
            plot.Axes.SetLimitsX(SinusoidFamily.MinX, SinusoidFamily.MaxX);
            plot.Legend.IsVisible = e == 0;
            plot.Legend.Alignment = Alignment.LowerLeft;
        }

        string full = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        multiplot.SavePng(full, 1200, 800);
    }

    private static void AddPrediction(Plot plot, SineHyper model, float[] embedding, float[] grid, string label, Color color, LinePattern pattern)
    {
        float[] predicted = new float[grid.Length];
        model.Predict(embedding, default, grid, grid.Length, predicted);
        AddLine(plot, grid, predicted, label, color, pattern);
    }

    /// <summary>SineNet with the weights the encoder made, on the grid.</summary>
    private static float[] Encoded(float[] weights, float[] grid)
    {
        float[] predicted = new float[grid.Length];
        SineNet.Forward(weights, grid, predicted, grid.Length, new float[SineNet.WorkspaceSize(grid.Length)]);
        return predicted;
    }

    private static void AddLine(Plot plot, float[] grid, float[] predicted, string label, Color color, LinePattern pattern)
    {
        var line = plot.Add.ScatterLine(grid.Select(x => (double)x).ToArray(), predicted.Select(y => (double)y).ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.Color = color;
        line.LinePattern = pattern;
    }
}
