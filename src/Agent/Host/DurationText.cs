using System.Globalization;

namespace Mnp.Agent.Host;

/// <summary>Durations as operators write them: <c>30s</c>, <c>500ms</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>, or a bare number of seconds (the Go reference's <c>--sync-period=30</c>).</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds;
        }

        var total = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            if (start == unitStart || !double.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = text[unitStart..i];
            double? scale = unit switch { "ms" => 0.001, "s" => 1, "m" => 60, "h" => 3600, _ => null };
            if (scale is null)
            {
                return false;
            }

            total += number * scale.Value;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }
}
