namespace Domus.Bench;

/// <summary>A series of timings (in milliseconds) or other figures, summarized by median and 90th percentile.</summary>
public sealed class Measurements(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name => name;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public void Add(double value) => _milliseconds.Add(value);

    public double Median => Percentile(0.5);

    public double P90 => Percentile(0.9);

    public int Count => _milliseconds.Count;

    private double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }
}
