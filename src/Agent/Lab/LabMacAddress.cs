using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>
/// Deterministic, locally administered unicast MACs for lab interfaces, derived from the network and the
/// interface's first address (or the pod and interface name when it has none). A pod re-created with the same
/// address gets the same MAC, so its peers' neighbour caches stay right and no stale entry blackholes traffic.
/// </summary>
public static class LabMacAddress
{
    public static string For(NetworkRef network, string podKey, LabInterface wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var identity = wanted.Addresses.IsEmpty
            ? $"{network}|{podKey}|{wanted.Interface}"
            : $"{network}|{wanted.Addresses[0].Address}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        hash[0] = (byte)((hash[0] & 0xfc) | 0x02); // locally administered, unicast
        return string.Join(':', hash.Take(6).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    public static byte[] Bytes(string mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        return [.. mac.Split(':').Select(part => byte.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }
}
