using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Rendering;

/// <summary>
/// How many peers of a list are of each family and how many of those have excepts (what decides the sub-chains of an
/// allowance). A long list is counted once and remembered: the compiler shares one list between every pod a rule
/// selects, so counting the chains of many pods costs their allowances, not the thousands of peers they may hold.
/// </summary>
internal sealed class PeerCounts
{
    private const int Remembered = 8;
    private static readonly ConditionalWeakTable<PeerMatch[], PeerCounts> Counted = [];

    private PeerCounts(PeerMatch[] peers)
    {
        foreach (var peer in peers)
        {
            var excepted = peer.Except.IsDefaultOrEmpty ? 0 : 1;
            if (peer.Cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                (V4, V4Excepted) = (V4 + 1, V4Excepted + excepted);
            }
            else
            {
                (V6, V6Excepted) = (V6 + 1, V6Excepted + excepted);
            }
        }
    }

    private int V4 { get; }

    private int V4Excepted { get; }

    private int V6 { get; }

    private int V6Excepted { get; }

    /// <summary>The peers of <paramref name="family"/> in the list, and how many of them have excepts.</summary>
    public static (int Peers, int Excepted) Of(ImmutableArray<PeerMatch> peers, IpFamily family)
    {
        var array = ImmutableCollectionsMarshal.AsArray(peers) ?? [];
        var counts = array.Length < Remembered ? new PeerCounts(array) : Counted.GetValue(array, static a => new PeerCounts(a));
        return family == IpFamily.V4 ? (counts.V4, counts.V4Excepted) : (counts.V6, counts.V6Excepted);
    }
}
