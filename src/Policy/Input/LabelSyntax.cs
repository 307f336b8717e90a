namespace Mnp.Policy.Input;

/// <summary>
/// Label key and value syntax exactly as Kubernetes apimachinery validates it: a key is an optional
/// DNS-1123 subdomain prefix and '/' followed by a name of at most 63 characters; a value is empty or
/// a name-shaped string of at most 63 characters.
/// </summary>
public static class LabelSyntax
{
    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = 253;

    /// <summary>Returns null when <paramref name="key"/> is a valid label key, else why not.</summary>
    public static string? KeyError(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return NameError(key, "name part");
        }

        var prefix = key[..slash];
        var name = key[(slash + 1)..];
        if (prefix.Length == 0)
        {
            return "prefix part must be non-empty";
        }

        return PrefixError(prefix) ?? NameError(name, "name part");
    }

    /// <summary>Returns null when <paramref name="value"/> is a valid label value, else why not.</summary>
    public static string? ValueError(string value) => value.Length == 0 ? null : NameError(value, "value");

    private static string? NameError(string name, string what)
    {
        if (name.Length == 0)
        {
            return $"{what} must be non-empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"{what} must be no more than {MaxNameLength} characters";
        }

        if (!IsAlphanumeric(name[0]) || !IsAlphanumeric(name[^1]) || !name.All(c => IsAlphanumeric(c) || c is '-' or '_' or '.'))
        {
            return $"{what} must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
        }

        return null;
    }

    private static string? PrefixError(string prefix)
    {
        if (prefix.Length > MaxPrefixLength)
        {
            return $"prefix part must be no more than {MaxPrefixLength} characters";
        }

        foreach (var label in prefix.Split('.'))
        {
            if (label.Length == 0 || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1])
                || !label.All(c => IsLowerAlphanumeric(c) || c == '-'))
            {
                return "prefix part must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character";
            }
        }

        return null;
    }

    private static bool IsAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
