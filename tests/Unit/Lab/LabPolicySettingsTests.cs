using Mnp.Agent.Lab;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabPolicySettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mnp-labsettings-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Settings_recorded_for_a_lab_read_back_as_the_same_options()
    {
        var store = new LabStore(_root);
        var options = new PolicyOptions
        {
            ManagedPlugins = ImmutableHashSet.Create(StringComparer.Ordinal, "macvlan", "ipvlan"),
            AcceptIcmp = true,
            AcceptNeighborDiscovery = false,
        };

        store.SavePolicySettings("demo", LabPolicySettings.From(options));
        var read = store.LoadPolicySettings("demo")!.ToOptions();

        Assert.Equal(["ipvlan", "macvlan"], read.ManagedPlugins.Order(StringComparer.Ordinal));
        Assert.Equal((true, false, false), (read.AcceptIcmp, read.AcceptIcmpV6, read.AcceptNeighborDiscovery));
        Assert.Null(store.LoadPolicySettings("other"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
