using Mnp.Policy.Input;

namespace Mnp.Policy.Evaluation;

/// <summary>One end of a queried connection: a pod (<c>namespace/name</c>) or a plain IP address.</summary>
public sealed record EndpointRef
{
    private EndpointRef(string? podKey, IPAddress? address)
    {
        PodKey = podKey;
        Address = address;
    }

    /// <summary>The pod's <c>namespace/name</c>, or null for an address end.</summary>
    public string? PodKey { get; }

    /// <summary>The address, or null for a pod end.</summary>
    public IPAddress? Address { get; }

    public static EndpointRef Pod(string ns, string name) => new($"{ns}/{name}", null);

    public static EndpointRef Ip(IPAddress address) => new(null, address);

    /// <summary>Parses <c>NS/POD</c> or an IPv4/IPv6 address; throws <see cref="TraceException"/> otherwise.</summary>
    public static EndpointRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (StrictAddress.TryParseAddress(trimmed, out var address))
        {
            return Ip(address);
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == trimmed.Length - 1 || trimmed.IndexOf('/', slash + 1) >= 0)
        {
            throw new TraceException($"endpoint {MessageText.Quote(text)}: expected NAMESPACE/POD or an IP address (dotted-quad IPv4 or IPv6)");
        }

        return Pod(trimmed[..slash], trimmed[(slash + 1)..]);
    }

    public override string ToString() => PodKey ?? Address!.ToString();
}
