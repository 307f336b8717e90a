using System.CommandLine;
using System.Collections.Immutable;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Cli;

/// <summary>The options that build <see cref="PolicyOptions"/>, added to a verb together.</summary>
internal sealed class PolicyOptionSet
{
    private readonly Option<string> _plugins = CommonOptions.NetworkPlugins();
    private readonly Option<bool> _icmp = CommonOptions.AcceptIcmp();
    private readonly Option<bool> _icmpV6 = CommonOptions.AcceptIcmpV6();
    private readonly Option<bool> _ndp = CommonOptions.AcceptNeighborDiscovery();

    public void AddTo(Command command)
    {
        command.Options.Add(_plugins);
        command.Options.Add(_icmp);
        command.Options.Add(_icmpV6);
        command.Options.Add(_ndp);
    }

    /// <summary>The options when any of them was given on the command line; null when all are defaults.</summary>
    public PolicyOptions? ReadIfGiven(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Option[] all = [_plugins, _icmp, _icmpV6, _ndp];
        return all.Any(o => result.GetResult(o) is { Implicit: false }) ? Read(result) : null;
    }

    public PolicyOptions Read(ParseResult result) => new()
    {
        ManagedPlugins = (result.GetValue(_plugins) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToImmutableHashSet(StringComparer.Ordinal),
        AcceptIcmp = result.GetValue(_icmp),
        AcceptIcmpV6 = result.GetValue(_icmpV6),
        AcceptNeighborDiscovery = result.GetValue(_ndp),
    };
}
