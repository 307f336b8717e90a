using System.Globalization;

namespace Mnp.Bench;

/// <summary>Median, quartiles and extremes of a benchmark's repeated measurements (quartiles interpolated between ranks).</summary>
/// <param name="Median">The middle value.</param>
/// <param name="LowerQuartile">The 25th percentile.</param>
/// <param name="UpperQuartile">The 75th percentile.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="MedianLow">The lower end of the median's 95% confidence interval (distribution-free: an order statistic).</param>
/// <param name="MedianHigh">The upper end of that interval.</param>
internal sealed record Spread(double Median, double LowerQuartile, double UpperQuartile, double Min, double Max, double MedianLow, double MedianHigh)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        // The median lies between the k-th smallest and the k-th largest value with 95% confidence, k = (n − 1.96·√n) / 2
        // (the sign test's binomial, normal approximation), whatever the distribution.
        var k = Math.Max(0, (int)Math.Floor((sorted.Length - (1.96 * Math.Sqrt(sorted.Length))) / 2) - 1);
        return new Spread(Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted[0], sorted[^1], sorted[k], sorted[^(k + 1)]);
    }

    /// <summary><c>median [lower quartile–upper quartile] (min–max)</c> in <paramref name="format"/>, thousands as <c>k</c> when <paramref name="thousands"/>.</summary>
    public string Format(string format, bool thousands = false)
    {
        string F(double v) => thousands ? (v / 1000).ToString(format, CultureInfo.InvariantCulture) + "k" : v.ToString(format, CultureInfo.InvariantCulture);
        return $"{F(Median)} [{F(LowerQuartile)}–{F(UpperQuartile)}] ({F(Min)}–{F(Max)})";
    }

    private static double Quantile(double[] sorted, double q)
    {
        var rank = q * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
