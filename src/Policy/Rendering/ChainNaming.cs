using System.Globalization;
using System.Text;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>
/// Our chain names: <c>MNP-IN-&lt;if&gt;</c> / <c>MNP-EG-&lt;if&gt;</c> plus a suffix for sub-chains. When a name
/// would exceed <see cref="ChainNames.MaxLength"/>, the interface part becomes an 8-hex FNV-1a hash of the
/// interface name, so names stay deterministic and distinct per interface.
/// </summary>
public static class ChainNaming
{
    public const string IngressTag = "IN";
    public const string EgressTag = "EG";

    public static string For(string tag, string interfaceName, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        var full = $"{ChainNames.OwnedPrefix}{tag}-{interfaceName}{suffix}";
        return full.Length <= ChainNames.MaxLength
            ? full
            : $"{ChainNames.OwnedPrefix}{tag}-{Hash(interfaceName)}{suffix}";
    }

    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
