namespace Mnp.Policy.Rules;

/// <summary>A remote address range: inside <see cref="Cidr"/> and inside none of <see cref="Except"/> (canonical, same family).</summary>
public sealed record PeerMatch(IPNetwork Cidr, ImmutableArray<IPNetwork> Except)
{
    public bool Contains(IPAddress address)
    {
        if (!Cidr.Contains(address))
        {
            return false;
        }

        foreach (var excluded in Except)
        {
            if (excluded.Contains(address))
            {
                return false;
            }
        }

        return true;
    }
}
