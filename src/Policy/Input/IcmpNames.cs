namespace Mnp.Policy.Input;

/// <summary>
/// The names the custom-rules file accepts for ICMP (<see cref="V4"/>) and ICMPv6 (<see cref="V6"/>) types and their
/// codes: the names iptables and ip6tables list for <c>--icmp-type</c>/<c>--icmpv6-type</c> (<c>iptables -p icmp -h</c>),
/// so a line of the Go reference's custom rule files carries over by name. Codes are named per type, as iptables
/// nests them; a name is looked up exactly (no case folding, no abbreviations).
/// </summary>
internal sealed class IcmpNames
{
    private readonly Dictionary<string, byte> _types;
    private readonly Dictionary<byte, Dictionary<string, byte>> _codes;

    private IcmpNames(string protocol, Dictionary<string, byte> types, Dictionary<byte, Dictionary<string, byte>> codes)
    {
        Protocol = protocol;
        _types = types;
        _codes = codes;
    }

    public static IcmpNames V4 { get; } = new(
        "ICMP",
        new(StringComparer.Ordinal)
        {
            ["echo-reply"] = 0,
            ["destination-unreachable"] = 3,
            ["source-quench"] = 4,
            ["redirect"] = 5,
            ["echo-request"] = 8,
            ["router-advertisement"] = 9,
            ["router-solicitation"] = 10,
            ["time-exceeded"] = 11,
            ["parameter-problem"] = 12,
            ["timestamp-request"] = 13,
            ["timestamp-reply"] = 14,
            ["address-mask-request"] = 17,
            ["address-mask-reply"] = 18,
        },
        new()
        {
            [3] = Codes(
                ("network-unreachable", 0), ("host-unreachable", 1), ("protocol-unreachable", 2), ("port-unreachable", 3),
                ("fragmentation-needed", 4), ("source-route-failed", 5), ("network-unknown", 6), ("host-unknown", 7),
                ("network-prohibited", 9), ("host-prohibited", 10), ("TOS-network-unreachable", 11), ("TOS-host-unreachable", 12),
                ("communication-prohibited", 13), ("host-precedence-violation", 14), ("precedence-cutoff", 15)),
            [5] = Codes(("network-redirect", 0), ("host-redirect", 1), ("TOS-network-redirect", 2), ("TOS-host-redirect", 3)),
            [11] = Codes(("ttl-zero-during-transit", 0), ("ttl-zero-during-reassembly", 1)),
            [12] = Codes(("ip-header-bad", 0), ("required-option-missing", 1)),
        });

    public static IcmpNames V6 { get; } = new(
        "ICMPv6",
        new(StringComparer.Ordinal)
        {
            ["destination-unreachable"] = 1,
            ["packet-too-big"] = 2,
            ["time-exceeded"] = 3,
            ["parameter-problem"] = 4,
            ["echo-request"] = 128,
            ["echo-reply"] = 129,
            ["router-solicitation"] = 133,
            ["router-advertisement"] = 134,
            ["neighbor-solicitation"] = 135,
            ["neighbor-advertisement"] = 136,
            ["redirect"] = 137,
        },
        new()
        {
            [1] = Codes(
                ("no-route", 0), ("communication-prohibited", 1), ("beyond-scope", 2), ("address-unreachable", 3),
                ("port-unreachable", 4), ("failed-policy", 5), ("reject-route", 6)),
            [3] = Codes(("ttl-zero-during-transit", 0), ("ttl-zero-during-reassembly", 1)),
            [4] = Codes(("bad-header", 0), ("unknown-header-type", 1), ("unknown-option", 2)),
        });

    /// <summary><c>ICMP</c> or <c>ICMPv6</c>, for messages.</summary>
    public string Protocol { get; }

    /// <summary>The type names, sorted, for messages.</summary>
    public string TypeNames => string.Join(", ", _types.Keys.Order(StringComparer.Ordinal));

    public bool TryType(string name, out byte type) => _types.TryGetValue(name, out type);

    /// <summary>The name of <paramref name="type"/>, or its number when it has none.</summary>
    public string TypeName(byte type) =>
        _types.FirstOrDefault(t => t.Value == type).Key ?? type.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The code names of <paramref name="type"/>, sorted by code; empty when iptables names none.</summary>
    public IReadOnlyList<string> CodeNames(byte type) =>
        _codes.TryGetValue(type, out var codes) ? [.. codes.OrderBy(c => c.Value).Select(c => c.Key)] : [];

    public bool TryCode(byte type, string name, out byte code)
    {
        code = 0;
        return _codes.TryGetValue(type, out var codes) && codes.TryGetValue(name, out code);
    }

    /// <summary>The type whose code <paramref name="name"/> is (iptables also takes a code's name alone for type/code).</summary>
    public byte? TypeOfCode(string name) =>
        _codes.Where(c => c.Value.ContainsKey(name)).Select(c => (byte?)c.Key).FirstOrDefault();

    private static Dictionary<string, byte> Codes(params (string Name, byte Code)[] codes) =>
        codes.ToDictionary(c => c.Name, c => c.Code, StringComparer.Ordinal);
}
