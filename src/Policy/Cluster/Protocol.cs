namespace Mnp.Policy.Cluster;

/// <summary>The layer-4 protocols a NetworkPolicy port can name.</summary>
public enum Protocol
{
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}
