using System.Net;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Mnp.Policy.Input;

namespace Mnp.Agent.Lab;

/// <summary>An interface address with its prefix length, written <c>10.1.0.2/24</c>.</summary>
[JsonConverter(typeof(LabAddressJsonConverter))]
public readonly record struct LabAddress(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>addr/prefix</c> or a bare address (then <paramref name="defaultPrefix"/> or the full length).</summary>
    public static bool TryParse(string text, int? defaultPrefix, out LabAddress value)
    {
        value = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!StrictAddress.TryParseAddress(slash < 0 ? text : text[..slash], out var address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = defaultPrefix ?? max;
        if (slash >= 0 && !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return false;
        }

        if (prefix < 0 || prefix > max)
        {
            return false;
        }

        value = new LabAddress(address, prefix);
        return true;
    }
}
