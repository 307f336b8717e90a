using Mnp.Agent.Lab.Probe;

namespace Mnp.Tests.Unit.Lab;

public sealed class ProbeWindowTests
{
    private const string Limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            1024                 524288               files
        Max locked memory         8388608              8388608              bytes
        """;

    [Fact]
    public void The_soft_open_file_limit_is_read_from_proc_limits()
    {
        Assert.Equal(1024, ProbeWindow.ParseSoftOpenFileLimit(Limits));
        Assert.Equal(long.MaxValue, ProbeWindow.ParseSoftOpenFileLimit(Limits.Replace("1024 ", "unlimited ", StringComparison.Ordinal)));
        Assert.Null(ProbeWindow.ParseSoftOpenFileLimit("Max cpu time unlimited unlimited seconds"));
    }

    [Theory]
    [InlineData(1024L, 250, 172)]
    [InlineData(20000L, 250, 4096)]
    [InlineData(300L, 250, ProbeWindow.Min)]
    [InlineData(long.MaxValue, 0, ProbeWindow.Max)]
    public void The_window_leaves_room_for_listeners_and_accepted_sockets(long soft, int listeners, int expected)
    {
        Assert.Equal(expected, ProbeWindow.Concurrent(listeners, soft));
    }

    [Fact]
    public void Without_a_readable_limit_the_window_is_the_smallest()
    {
        Assert.Equal(ProbeWindow.Min, ProbeWindow.Concurrent(10, softLimit: null));
    }
}
