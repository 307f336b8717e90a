namespace Mnp.Policy.Input;

/// <summary>Kubernetes IANA_SVC_NAME validation for named ports.</summary>
public static class PortName
{
    private const int MaxLength = 15;

    /// <summary>Returns null when <paramref name="name"/> is a valid port name, else why not.</summary>
    public static string? Error(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return "must contain only lowercase alphanumeric characters and '-'";
        }

        if (!name.Any(char.IsAsciiLetterLower))
        {
            return "must contain at least one letter (a number written as a string is a port name)";
        }

        if (name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            return "must not begin or end with '-' nor contain '--'";
        }

        return null;
    }
}
