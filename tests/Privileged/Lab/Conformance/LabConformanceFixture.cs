using Mnp.Agent.Lab;
using Mnp.Policy.Rules;
using Mnp.Tests.Support.Lab;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>
/// One lab (unique name) for a whole conformance class, on one backend: up with the 9 model pods before the first
/// case, down after the last; then nothing of it may be left in <c>ip netns list</c> or the host's <c>ip link</c>.
/// </summary>
public abstract class LabConformanceFixture : IAsyncLifetime
{
    public NetnsExecutor Executor { get; } = new();

    public string Lab { get; } = "c" + Guid.NewGuid().ToString("N")[..8];

    public LabController Controller { get; }

    private List<string> _hostLinksBefore = [];

    protected LabConformanceFixture(FirewallBackendKind backend)
    {
        Backend = backend;
        Controller = new LabController(Executor, PolicyOptions.Default);
    }

    /// <summary>The backend the lab was brought up with (recorded, so every apply programs with it).</summary>
    public FirewallBackendKind Backend { get; }

    public async Task InitializeAsync()
    {
        if (Environment.IsPrivilegedProcess)
        {
            _hostLinksBefore = await HostTools.HostLinkNamesAsync();
            await Controller.UpAsync(Lab, ConformanceSnapshots.Base, Backend);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await Controller.DownAsync(Lab);
                var prefix = $"mnplab-{Lab}-";
                var namespaces = (await HostTools.NetnsNamesAsync()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();

                // Lab links live in lab namespaces only: the host must not have gained any of the lab's link names.
                var links = (await HostTools.HostLinkNamesAsync()).Except(_hostLinksBefore)
                    .Where(l => l.StartsWith("nad", StringComparison.Ordinal) || l.StartsWith("mnp-", StringComparison.Ordinal) || l.StartsWith("net", StringComparison.Ordinal))
                    .ToList();
                if (namespaces.Count > 0 || links.Count > 0 || Directory.Exists(Controller.Store.DirectoryOf(Lab)))
                {
                    throw new InvalidOperationException($"lab {Lab} left namespaces [{string.Join(", ", namespaces)}], links [{string.Join(", ", links)}] or its state directory");
                }
            }
        }
        finally
        {
            Executor.Dispose();
        }
    }
}
