using System.Collections.Immutable;
using System.Net;
using System.Buffers.Binary;
using System.Text;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// What a pod's compiled rules are, as 32 bytes: a SHA-256 over their canonical content (interfaces, addresses, and
/// per direction the isolation, the selecting policies and every allowance with its origin, peers and ports). Both
/// renderers are functions of exactly that content (and of the options, fixed for an agent's life), so two equal
/// fingerprints mean an identical commit whatever the backend, and the sync writes nothing for a pod whose fingerprint
/// equals the last one committed. The cache keeps these 32 bytes per pod, not rendered tables. No rules, or none isolating
/// (nothing of ours to render), is <see cref="None"/>.
/// </summary>
public readonly record struct PodRulesFingerprint(UInt128 High, UInt128 Low)
{
    public static PodRulesFingerprint None { get; } = default;

    public static PodRulesFingerprint Of(PodRules? rules)
    {
        if (rules is null || !rules.Interfaces.Any(i => i.IsGoverned))
        {
            return None; // nothing isolated renders nothing of ours, as no rules do
        }

        using var buffer = new HashingWriter();
        foreach (var iface in rules.Interfaces)
        {
            Text(buffer, iface.Interface);
            Text(buffer, iface.Network.Namespace);
            Text(buffer, iface.Network.Name);
            Addresses(buffer, iface.Addresses);
            Direction(buffer, iface.Ingress);
            Direction(buffer, iface.Egress);
        }

        Span<byte> hash = stackalloc byte[32];
        buffer.Finish(hash);
        var fingerprint = new PodRulesFingerprint(BinaryPrimitives.ReadUInt128BigEndian(hash[..16]), BinaryPrimitives.ReadUInt128BigEndian(hash[16..]));
        return fingerprint == None ? new PodRulesFingerprint(0, 1) : fingerprint;
    }

    private static void Direction(HashingWriter buffer, DirectionRules rules)
    {
        Number(buffer, rules.Isolated ? 1 : 0);
        Number(buffer, rules.SelectingPolicies.Length);
        foreach (var policy in rules.SelectingPolicies)
        {
            Text(buffer, policy);
        }

        Number(buffer, rules.Allowances.Length);
        foreach (var allowance in rules.Allowances)
        {
            Text(buffer, allowance.Origin.Policy);
            Number(buffer, (int)allowance.Origin.Direction);
            Number(buffer, allowance.Origin.Rule);
            Number(buffer, (allowance.AnyPeer ? 1 : 0) | (allowance.AnyPort ? 2 : 0));
            Number(buffer, allowance.Peers.Length);
            foreach (var peer in allowance.Peers)
            {
                Network(buffer, peer.Cidr);
                Number(buffer, peer.Except.Length);
                foreach (var except in peer.Except)
                {
                    Network(buffer, except);
                }
            }

            Number(buffer, allowance.Ports.Length);
            foreach (var port in allowance.Ports)
            {
                Number(buffer, (int)port.Protocol);
                Number(buffer, port.From);
                Number(buffer, port.To);
            }
        }
    }

    private static void Addresses(HashingWriter buffer, ImmutableArray<IPAddress> addresses)
    {
        Number(buffer, addresses.Length);
        foreach (var address in addresses)
        {
            Address(buffer, address);
        }
    }

    private static void Network(HashingWriter buffer, IPNetwork network)
    {
        Address(buffer, network.BaseAddress);
        Number(buffer, network.PrefixLength);
    }

    private static void Address(HashingWriter buffer, IPAddress address)
    {
        var span = buffer.GetSpan(17);
        _ = address.TryWriteBytes(span[1..], out var written);
        span[0] = (byte)written;
        buffer.Advance(written + 1);
    }

    private static void Number(HashingWriter buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    /// <summary>Length-prefixed, so that no two different sequences of strings write the same bytes.</summary>
    private static void Text(HashingWriter buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Number(buffer, bytes.Length);
        buffer.Write(bytes);
    }
}
