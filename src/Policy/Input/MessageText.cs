using System.Globalization;
using System.Text;

namespace Mnp.Policy.Input;

/// <summary>
/// How input values appear inside one-line messages: double-quoted, control characters, quotes and
/// backslashes escaped (so a value can never add a line or look like the end of the message), and cut
/// after <see cref="MaxChars"/> characters (a 1 MB label value is not echoed whole).
/// </summary>
public static class MessageText
{
    public const int MaxChars = 64;

    /// <summary>Names and fields up to this length are shown whole (a Kubernetes name has at most 253 characters).</summary>
    public const int MaxNameChars = 320;

    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxChars) + 16).Append('"');
        var shown = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (shown == MaxChars)
            {
                break;
            }

            shown++;
            switch (rune.Value)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case < 0x20 or (>= 0x7F and < 0xA0) or 0x2028 or 0x2029:
                    text.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    break;
                default:
                    text.Append(rune.ToString());
                    break;
            }
        }

        text.Append('"');
        var length = value.EnumerateRunes().Count();
        return shown < length ? text.Append(CultureInfo.InvariantCulture, $"... ({length} characters)").ToString() : text.ToString();
    }

    /// <summary>
    /// An object name or field as it appears in a message: as it is when it holds nothing that could break the
    /// line (control characters, quotes, backslashes, line separators) and is not absurdly long, else <see cref="Quote"/>d.
    /// </summary>
    public static string Name(string? value) =>
        value is not null && value.Length <= MaxNameChars && !value.Any(c => char.IsControl(c) || c is '"' or '\\' or '\u2028' or '\u2029' || char.IsSurrogate(c))
            ? value
            : Quote(value);
}
