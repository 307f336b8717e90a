using System.Net.Sockets;

namespace Mnp.Policy.Input;

/// <summary>
/// IP address and CIDR parsing as strict as Go's net.ParseIP/ParseCIDR: IPv4 only in four dotted
/// decimal parts without leading zeros (no "10.1" or inet_aton shorthands: "010.9.0.2" is not 8.9.0.2),
/// IPv6 only as hex groups and colons (no zone, brackets or spaces). Every address we read goes through
/// here: annotations, ipBlocks, the CLI's endpoints. Host bits of a
/// CIDR are cleared, never rejected (an ipBlock <c>10.10.1.12/24</c> means <c>10.10.1.0/24</c>).
/// </summary>
public static class StrictAddress
{
    public static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            // Hex groups and colons only (no brackets, zone, spaces); an embedded IPv4 tail is strict dotted-quad too.
            var tail = text[(text.LastIndexOf(':') + 1)..];
            return text.All(c => c is ':' or '.' || char.IsAsciiHexDigit(c))
                && (!tail.Contains('.', StringComparison.Ordinal) || IsDottedQuad(tail))
                && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return IsDottedQuad(text) && IPAddress.TryParse(text, out address!);
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(IsDecimalOctet);
    }

    /// <summary>Parses <c>address/prefix</c>; returns null on success or the reason it is not a CIDR.</summary>
    public static string? TryParseCidr(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"{MessageText.Quote(text)} is not a CIDR: it has no prefix length";
        }

        if (!TryParseAddress(text[..slash], out var address))
        {
            return $"{MessageText.Quote(text)} is not a CIDR: bad address";
        }

        var prefixText = text[(slash + 1)..];
        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
            || (prefixText.Length > 1 && prefixText[0] == '0') || int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture) > maxPrefix)
        {
            return $"{MessageText.Quote(text)} is not a CIDR: bad prefix length";
        }

        var prefix = int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture);
        network = new IPNetwork(ClearHostBits(address, prefix), prefix);
        return null;
    }

    /// <summary>True when <paramref name="inner"/> is a strict subset of <paramref name="outer"/> of the same family.</summary>
    public static bool IsStrictlyInside(IPNetwork inner, IPNetwork outer) =>
        inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily
        && inner.PrefixLength > outer.PrefixLength
        && outer.Contains(inner.BaseAddress);

    private static IPAddress ClearHostBits(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInByte = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInByte));
        }

        return new IPAddress(bytes);
    }

    private static bool IsDecimalOctet(string part) =>
        part.Length is > 0 and <= 3
        && part.All(char.IsAsciiDigit)
        && (part.Length == 1 || part[0] != '0')
        && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255;
}
