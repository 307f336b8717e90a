using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Puts port ranges into canonical form: ordered by protocol then start, overlapping or adjacent ranges of
/// one protocol merged, so "all ports of P" absorbs every specific port of P.
/// </summary>
internal static class PortSet
{
    public static ImmutableArray<PortRange> Normalize(List<PortRange> ports)
    {
        ports.Sort(static (a, b) =>
        {
            var byProtocol = a.Protocol.CompareTo(b.Protocol);
            return byProtocol != 0 ? byProtocol : a.From.CompareTo(b.From);
        });
        var result = ImmutableArray.CreateBuilder<PortRange>(ports.Count);
        foreach (var port in ports)
        {
            if (result.Count > 0 && result[^1].Protocol == port.Protocol && port.From <= result[^1].To + 1)
            {
                var last = result[^1];
                result[^1] = last with { To = Math.Max(last.To, port.To) };
            }
            else
            {
                result.Add(port);
            }
        }

        return result.ToImmutable();
    }

    public static bool IsAll(PortRange range) => range.From <= 1 && range.To == PortRange.MaxPort;

    public static Protocol[] Protocols { get; } = [Protocol.Tcp, Protocol.Udp, Protocol.Sctp];
}
