using System.Collections.Immutable;
using System.Net;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// What a pod's compiled rules are, as 32 bytes: a SHA-256 over their canonical content (interfaces, addresses, and
/// per direction the isolation, the selecting policies and every allowance with its origin, peers and ports). Both
/// renderers are functions of exactly that content (and of the options, fixed for an agent's life), so two equal
/// fingerprints mean an identical commit whatever the backend, and the sync writes nothing for a pod whose fingerprint
/// equals the last one committed. The cache keeps these 32 bytes per pod, not rendered tables. No rules, or none isolating
/// (nothing of ours to render), is <see cref="None"/>. A long peer list enters as the SHA-256 of its own canonical
/// bytes, computed once per list: the compiler shares one list between every pod a rule selects (and keeps it until the
/// rule's peers change), so fingerprinting a pod costs its allowances, not the thousands of peers they may hold.
/// </summary>
public readonly record struct PodRulesFingerprint(UInt128 High, UInt128 Low)
{
    /// <summary>From this length on a peer list is hashed on its own (chosen by length, so by content alone).</summary>
    private const int DigestedPeers = 8;

    private static readonly ConditionalWeakTable<PeerMatch[], byte[]> PeerDigests = [];

    [ThreadStatic]
    private static HashingWriter? _outer;

    [ThreadStatic]
    private static HashingWriter? _inner;

    public static PodRulesFingerprint None { get; } = default;

    public static PodRulesFingerprint Of(PodRules? rules)
    {
        if (rules is null || !rules.Interfaces.Any(i => i.IsGoverned))
        {
            return None; // nothing isolated renders nothing of ours, as no rules do
        }

        var buffer = Take(ref _outer);
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
        _outer = buffer;
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
            Peers(buffer, allowance.Peers);

            Number(buffer, allowance.Ports.Length);
            foreach (var port in allowance.Ports)
            {
                Number(buffer, (int)port.Protocol);
                Number(buffer, port.From);
                Number(buffer, port.To);
            }
        }
    }

    /// <summary>The peers inline (length first), or for a long list a marker no length can be and the list's digest.</summary>
    private static void Peers(HashingWriter buffer, ImmutableArray<PeerMatch> peers)
    {
        var array = ImmutableCollectionsMarshal.AsArray(peers) ?? [];
        if (array.Length < DigestedPeers)
        {
            PeerBytes(buffer, array);
            return;
        }

        Number(buffer, -1);
        buffer.Write(PeerDigests.GetValue(array, Digest));
    }

    private static byte[] Digest(PeerMatch[] peers)
    {
        var inner = Take(ref _inner);
        PeerBytes(inner, peers);
        var digest = new byte[32];
        inner.Finish(digest);
        _inner = inner;
        return digest;
    }

    /// <summary>The thread's writer, taken until its hash is finished: one that threw half-way is never reused.</summary>
    private static HashingWriter Take(ref HashingWriter? held)
    {
        var writer = held ?? new HashingWriter();
        held = null;
        return writer;
    }

    private static void PeerBytes(HashingWriter buffer, PeerMatch[] peers)
    {
        Number(buffer, peers.Length);
        foreach (var peer in peers)
        {
            Network(buffer, peer.Cidr);
            Number(buffer, peer.Except.Length);
            foreach (var except in peer.Except)
            {
                Network(buffer, except);
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
        var length = Encoding.UTF8.GetByteCount(value);
        Number(buffer, length);
        if (length > HashingWriter.MaxSpan)
        {
            buffer.Write(Encoding.UTF8.GetBytes(value));
            return;
        }

        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
    }
}
