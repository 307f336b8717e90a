using System.Runtime.CompilerServices;
using System.Text;
using Mnp.Policy.Input;

namespace Mnp.Native.Iptables;

/// <summary>
/// Checks a table model against what libiptc and the kernel accept, because their own errors are coarse
/// (a bad match fails the whole commit with EINVAL and the reason only reaches dmesg).
/// </summary>
public static class RuleValidator
{
    public static void ThrowIfInvalid(NetfilterTable table)
    {
        var problems = Validate(table);
        if (!problems.IsEmpty)
        {
            throw new RuleValidationException(problems);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ImmutableArray<RuleProblem> Validate(NetfilterTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var problems = ImmutableArray.CreateBuilder<RuleProblem>();
        if (ChainNames.BuiltinsOf(table.Name).IsEmpty)
        {
            problems.Add(new(RuleViolation.UnsupportedTable, table.Family, table.Name, "-", -1, "table", $"unknown table \"{table.Name}\""));
        }

        var owned = table.Chains.Where(c => !c.IsBuiltin).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in table.Chains)
        {
            ValidateChain(table, chain, owned, seen, problems);
        }

        return problems.ToImmutable();
    }

    /// <summary>Problems of one rule alone (no chain context); used by the encoder.</summary>
    public static ImmutableArray<RuleProblem> ValidateRule(IpFamily family, string table, string chain, int index, NetfilterRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var problems = ImmutableArray.CreateBuilder<RuleProblem>();
        ValidateRule(new Where(family, table, chain, index, problems), rule);
        return problems.ToImmutable();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateChain(NetfilterTable table, NetfilterChain chain, HashSet<string> owned, HashSet<string> seen, ImmutableArray<RuleProblem>.Builder problems)
    {
        var chainWhere = new Where(table.Family, table.Name, chain.Name, -1, problems);
        if (!seen.Add(chain.Name))
        {
            chainWhere.Add(RuleViolation.DuplicateChain, "name", "chain appears twice in the model");
        }

        if (chain.IsBuiltin && !ChainNames.BuiltinsOf(table.Name).Contains(chain.Name))
        {
            chainWhere.Add(RuleViolation.BuiltinNotInTable, "name", $"table {table.Name} has no built-in chain {chain.Name}");
        }

        if (!chain.IsBuiltin && !ChainNames.IsOwned(chain.Name))
        {
            chainWhere.Add(RuleViolation.ChainNotOwned, "name", $"chain is neither built-in nor ours (must start with {ChainNames.OwnedPrefix})");
        }

        if (Encoding.UTF8.GetByteCount(chain.Name) > ChainNames.MaxLength)
        {
            chainWhere.Add(RuleViolation.ChainNameTooLong, "name", $"longer than {ChainNames.MaxLength} bytes");
        }

        for (var i = 0; i < chain.Rules.Length; i++)
        {
            var rule = chain.Rules[i];
            var where = chainWhere with { RuleIndex = i };
            ValidateRule(where, rule);
            if (rule.Target.Kind == RuleTargetKind.Jump && !owned.Contains(rule.Target.Chain ?? ""))
            {
                where.Add(RuleViolation.UnknownJumpTarget, "target", $"jump to \"{rule.Target.Chain}\", which is not an owned chain of this model");
            }

            if (chain.IsBuiltin && (rule.Target.Kind != RuleTargetKind.Jump || !ChainNames.IsOwned(rule.Target.Chain ?? "")))
            {
                where.Add(RuleViolation.ForeignRuleInBuiltinChain, "target", $"a built-in chain may only hold jumps to {ChainNames.OwnedPrefix} chains");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateRule(Where where, NetfilterRule rule)
    {
        ValidateAddress(where, "source", rule.Source);
        ValidateAddress(where, "destination", rule.Destination);
        ValidateInterface(where, "inInterface", rule.InInterface);
        ValidateInterface(where, "outInterface", rule.OutInterface);
        ValidateProtocol(where, rule);
        ValidatePorts(where, rule);
        if ((rule.CtState & ~(ConntrackStates.Invalid | ConntrackStates.Established | ConntrackStates.Related | ConntrackStates.New)) != 0)
        {
            where.Add(RuleViolation.UnknownConntrackState, "ctState", $"unknown state bits {(int)rule.CtState:x}");
        }

        if (rule.Comment is { } comment)
        {
            if (comment.Contains('\0', StringComparison.Ordinal))
            {
                where.Add(RuleViolation.CommentHasNul, "comment", "contains a NUL character");
            }

            if (Encoding.UTF8.GetByteCount(comment) > XtLayout.CommentMaxBytes)
            {
                where.Add(RuleViolation.CommentTooLong, "comment", $"longer than {XtLayout.CommentMaxBytes} bytes of UTF-8");
            }
        }

        if (rule.Target.Kind == RuleTargetKind.Jump && Encoding.UTF8.GetByteCount(rule.Target.Chain ?? "") is 0 or > ChainNames.MaxLength)
        {
            where.Add(RuleViolation.ChainNameTooLong, "target", $"jump target must be 1..{ChainNames.MaxLength} bytes");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateAddress(Where where, string field, IPNetwork? network)
    {
        if (network is not { } n)
        {
            return;
        }

        if (n.BaseAddress is null)
        {
            where.Add(RuleViolation.NonCanonicalCidr, field, "network has no address");
            return;
        }

        var expected = where.Family == IpFamily.V4 ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (n.BaseAddress.AddressFamily != expected)
        {
            where.Add(RuleViolation.AddressFamilyMismatch, field, $"{n} is not an {(where.Family == IpFamily.V4 ? "IPv4" : "IPv6")} network");
            return;
        }

        // Stack buffers: this runs once per rule on every sync.
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> mask = stackalloc byte[16];
        n.BaseAddress.TryWriteBytes(bytes, out var length);
        AddressMask.Write(n.PrefixLength, mask[..length]);
        for (var i = 0; i < length; i++)
        {
            if ((bytes[i] & ~mask[i]) != 0)
            {
                where.Add(RuleViolation.NonCanonicalCidr, field, $"{n} has host bits set");
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateInterface(Where where, string field, string? name)
    {
        if (name is null)
        {
            return;
        }

        // The same rule as every input parser; the encoder matches the name exactly (never as a wildcard).
        if (InterfaceNames.Problem(name) is { } problem)
        {
            where.Add(RuleViolation.InterfaceName, field, $"{MessageText.Quote(name)}: {problem}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateProtocol(Where where, NetfilterRule rule)
    {
        if (rule.Protocol == NetfilterProtocol.Icmp && where.Family == IpFamily.V6)
        {
            where.Add(RuleViolation.ProtocolFamilyMismatch, "protocol", "icmp is IPv4; use icmpv6 in an IPv6 table");
        }

        if (rule.Protocol == NetfilterProtocol.IcmpV6 && where.Family == IpFamily.V4)
        {
            where.Add(RuleViolation.ProtocolFamilyMismatch, "protocol", "icmpv6 is IPv6; use icmp in an IPv4 table");
        }

        var icmpProtocol = where.Family == IpFamily.V4 ? NetfilterProtocol.Icmp : NetfilterProtocol.IcmpV6;
        if (rule.Icmp is not null && rule.Protocol != icmpProtocol)
        {
            where.Add(RuleViolation.IcmpProtocolMismatch, "icmp", $"an icmp type match needs protocol {icmpProtocol}");
        }

        if (rule.Icmp is { } icmp && icmp.CodeMin > icmp.CodeMax)
        {
            where.Add(RuleViolation.IcmpProtocolMismatch, "icmp", $"code range {icmp.CodeMin}..{icmp.CodeMax} is empty");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidatePorts(Where where, NetfilterRule rule)
    {
        if (rule.DestinationPorts.IsDefaultOrEmpty)
        {
            return;
        }

        if (rule.Protocol is not (NetfilterProtocol.Tcp or NetfilterProtocol.Udp or NetfilterProtocol.Sctp))
        {
            where.Add(RuleViolation.PortsWithoutProtocol, "destinationPorts", "ports need protocol tcp, udp or sctp");
        }

        var slots = 0;
        foreach (var (from, to) in rule.DestinationPorts)
        {
            if (from is < 0 or > 65535 || to is < 0 or > 65535 || from > to)
            {
                where.Add(RuleViolation.PortOutOfRange, "destinationPorts", $"{from}:{to} is not a range within 0..65535");
            }

            // Counted here rather than through NetfilterRule.MultiportSlots (LINQ over the array, per rule).
            slots += from == to ? 1 : 2;
        }

        if (rule.UsesMultiport && slots > NetfilterRule.MaxMultiportSlots)
        {
            where.Add(RuleViolation.TooManyMultiportSlots, "destinationPorts", $"{slots} multiport slots, at most {NetfilterRule.MaxMultiportSlots} (a range takes two)");
        }
    }

    /// <summary>A struct: one is made per rule, and the validator runs on every sync.</summary>
    private readonly record struct Where(IpFamily Family, string Table, string Chain, int RuleIndex, ImmutableArray<RuleProblem>.Builder Problems)
    {
        public void Add(RuleViolation violation, string field, string message) =>
            Problems.Add(new RuleProblem(violation, Family, Table, Chain, RuleIndex, field, message));
    }
}
