using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Mnp.Agent.Lab;

/// <summary>
/// The names the lab turns into kernel and file names, checked as Kubernetes checks them (so what a cluster accepts
/// works, and what it refuses fails before anything is created), and the pods' network namespace names.
/// </summary>
/// <remarks>
/// A pod's namespace is <c>mnplab-LAB-NS-POD</c> when that name is free in the lab and at most
/// <see cref="MaxNetnsName"/> bytes (a file name). Otherwise (two pods would share it, as <c>a-b/c</c> and
/// <c>a/b-c</c> do, or it is too long) it is <c>mnplab-LAB-_H</c>, H the first 12 hex digits of SHA-256 of
/// <c>NS/POD</c>, then <c>_2</c>, <c>_3</c>... while taken: '_' is in no Kubernetes name, so a fallback never equals
/// a readable name. The name is recorded in the lab state (and printed by up/apply), which stays the only
/// authority: a name is never recomputed for a pod that has one.
/// </remarks>
public static partial class LabNames
{
    public const int MaxLabel = 63;
    public const int MaxSubdomain = 253;
    public const int MaxNetnsName = 255;

    /// <summary>Names that already exist in every pod namespace, or that the lab uses itself while moving links.</summary>
    public static readonly IReadOnlySet<string> ReservedInterfaces = new HashSet<string>(StringComparer.Ordinal) { "lo", LabLinks.TransitName };

    /// <summary>A DNS-1123 label (Namespace names): null when valid, else why not.</summary>
    public static string? LabelProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "must not be empty"
        : name.Length > MaxLabel ? string.Create(CultureInfo.InvariantCulture, $"'{Printable(name)}' is longer than {MaxLabel} characters")
        : !LabelPattern().IsMatch(name) ? $"'{Printable(name)}' must be lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123 label)"
        : null;

    /// <summary>A DNS-1123 subdomain (Pod and NetworkAttachmentDefinition names): null when valid, else why not.</summary>
    public static string? SubdomainProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "must not be empty"
        : name.Length > MaxSubdomain ? string.Create(CultureInfo.InvariantCulture, $"'{Printable(name)}' is longer than {MaxSubdomain} characters")
        : !SubdomainPattern().IsMatch(name) ? $"'{Printable(name)}' must be lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (RFC 1123 subdomain)"
        : null;

    /// <summary>
    /// An interface name as the kernel takes it (dev_valid_name: 1-15 bytes, not '.'/'..', no '/', ':' or
    /// whitespace; control characters refused too) and not one a pod namespace already has: null when valid.
    /// </summary>
    public static string? InterfaceProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.UTF8.GetByteCount(name);
        return name.Length == 0 ? "must not be empty"
            : bytes > LabPlanner.MaxInterfaceName ? string.Create(CultureInfo.InvariantCulture, $"'{Printable(name)}' is {bytes} bytes; an interface name has at most {LabPlanner.MaxInterfaceName}")
            : name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c))
                ? $"'{Printable(name)}' is not a valid interface name (no '/', ':', spaces or control characters; not '.' or '..')"
            : ReservedInterfaces.Contains(name) ? $"'{name}' is reserved: every pod namespace already has it (or the lab uses it)"
            : null;
    }

    /// <summary>The readable namespace name of a pod (the form docs/cli.md §5 gives), which may be taken or too long; see <see cref="PodNetns"/>.</summary>
    public static string ReadablePodNetns(string lab, string ns, string pod) => $"{LabPlanner.NetnsPrefix}{lab}-{ns}-{pod}";

    /// <summary>The pod's namespace name: the readable form unless it is taken or too long, then the hashed fallback.</summary>
    public static string PodNetns(string lab, string ns, string pod, Func<string, bool> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        var readable = ReadablePodNetns(lab, ns, pod);
        if (Encoding.UTF8.GetByteCount(readable) <= MaxNetnsName && !isTaken(readable))
        {
            return readable;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{ns}/{pod}")))[..12];
        var fallback = $"{LabPlanner.NetnsPrefix}{lab}-_{hash}";
        for (var n = 2; isTaken(fallback); n++)
        {
            fallback = string.Create(CultureInfo.InvariantCulture, $"{LabPlanner.NetnsPrefix}{lab}-_{hash}_{n}");
        }

        return fallback;
    }

    /// <summary>At most 64 characters of a name for a message (a 1 MB name is not echoed whole).</summary>
    public static string Shorten(string name) => name.Length <= 64 ? name : string.Concat(name.AsSpan(0, 61), "...");

    /// <summary>A name for a message: control characters escaped, at most 64 characters.</summary>
    public static string Printable(string name) =>
        Shorten(string.Concat(name.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString())));

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex SubdomainPattern();
}
