namespace Mnp.Tests.Privileged;

/// <summary>Reads every entry of a table as the kernel holds it (through libiptc, inside the namespace).</summary>
internal static class RawEntries
{
    public static Task<ImmutableArray<(string Chain, byte[] Entry)>> ReadAsync(NetnsExecutor executor, TestNetns netns, IpFamily family) =>
        executor.RunAsync(netns.Ref, () =>
        {
            IIptcLibrary library = family == IpFamily.V4 ? Ip4tcLibrary.Instance : Ip6tcLibrary.Instance;
            lock (IptcLock.Gate)
            {
                using var session = IptcSession.Open(library, netns.Name, "filter");
                return session.ChainNames()
                    .SelectMany(chain => session.Rules(chain).Select(rule => (chain, rule.Entry)))
                    .ToImmutableArray();
            }
        });
}
