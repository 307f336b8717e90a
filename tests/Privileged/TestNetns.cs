namespace Mnp.Tests.Privileged;

/// <summary>A uniquely named network namespace (<c>ip netns add</c>), always removed on dispose.</summary>
internal sealed class TestNetns : IAsyncDisposable
{
    private TestNetns(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public NetnsRef Ref => NetnsRef.Named(Name);

    public static async Task<TestNetns> CreateAsync()
    {
        var netns = new TestNetns($"mnpt-{Guid.NewGuid():N}"[..17]);
        await Sh.RunAsync("ip", ["netns", "add", netns.Name]);
        try
        {
            await Sh.RunAsync("ip", ["-n", netns.Name, "link", "set", "lo", "up"]);
        }
        catch
        {
            await netns.DisposeAsync();
            throw;
        }

        return netns;
    }

    public async ValueTask DisposeAsync() => await Sh.RunAsync("ip", ["netns", "del", Name]);

    public override string ToString() => Name;
}
