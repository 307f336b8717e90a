using System.Net.Sockets;
using Mnp.Native;
using Mnp.Native.Nftables;

namespace Mnp.Agent.Host;

/// <summary>
/// Checks at start that the kernel has what the chosen backend writes to, so a node without it gets one line and a
/// non-zero exit instead of a commit failure per pod: iptables needs the legacy ip_tables/ip6_tables tables, nftables
/// needs nf_tables to answer a generation request (read-only, made in the agent's own namespace, touching no table).
/// </summary>
internal static class BackendPreflight
{
    /// <summary>Throws <see cref="AgentStartException"/> naming what is missing; <paramref name="nftablesProblem"/> is null when nf_tables answers.</summary>
    public static void Check(bool nftables, bool legacyTables, Func<string?> nftablesProblem)
    {
        if (!nftables && !legacyTables)
        {
            throw new AgentStartException("--backend iptables: this kernel has no legacy ip_tables/ip6_tables tables (modprobe ip_tables ip6_tables, or use --backend nftables)");
        }

        if (nftables && nftablesProblem() is { } problem)
        {
            throw new AgentStartException($"--backend nftables: this kernel's nf_tables does not answer ({problem}); load it (modprobe nf_tables) or use --backend iptables");
        }
    }

    /// <summary>A GETGEN in the calling thread's namespace: null when it is answered, else why not.</summary>
    public static string? ProbeNftables()
    {
        try
        {
            using var socket = NftSocket.OpenInCurrentNamespace("the agent's namespace");
            _ = socket.GetGeneration();
            return null;
        }
        catch (Exception e) when (e is MnpException or SocketException or IOException)
        {
            return e.Message;
        }
    }
}
