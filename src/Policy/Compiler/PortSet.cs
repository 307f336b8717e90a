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
        NormalizeInPlace(ports);
        return [.. ports];
    }

    /// <summary>Normalizes without allocating a result, for callers that compare before keeping.</summary>
    public static void NormalizeInPlace(List<PortRange> ports)
    {
        if (ports.Count < 2)
        {
            return;
        }

        ports.Sort(static (a, b) =>
        {
            var byProtocol = a.Protocol.CompareTo(b.Protocol);
            return byProtocol != 0 ? byProtocol : a.From.CompareTo(b.From);
        });
        var kept = 0;
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (kept > 0 && ports[kept - 1].Protocol == port.Protocol && port.From <= ports[kept - 1].To + 1)
            {
                var last = ports[kept - 1];
                if (port.To > last.To)
                {
                    ports[kept - 1] = last with { To = port.To };
                }
            }
            else
            {
                ports[kept++] = port;
            }
        }

        ports.RemoveRange(kept, ports.Count - kept);
    }

}
