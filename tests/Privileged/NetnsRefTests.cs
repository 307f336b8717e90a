using CliWrap;

namespace Mnp.Tests.Privileged;

/// <summary>The executor enters a namespace by any of its file references: a named netns, or /proc/PID/ns/net of a process in it.</summary>
public sealed class NetnsRefTests
{
    [PrivilegedFact]
    public async Task Proc_pid_reference_and_named_reference_enter_the_same_namespace()
    {
        await using var ns = await TestNetns.CreateAsync();
        using var executor = new NetnsExecutor();
        using var stop = new CancellationTokenSource();
        // `ip netns exec` execs the command, so the pid CliWrap reports is the sleeper's, inside the namespace.
        var sleeper = Cli.Wrap(Sh.Find("ip")!).WithArguments(["netns", "exec", ns.Name, "sleep", "30"])
            .WithValidation(CommandResultValidation.None).ExecuteAsync(stop.Token);
        try
        {
            var expected = NetnsExecutor.IdentityOf(ns.Ref.Path).ToString();
            await WaitUntilExecedAsync(sleeper.ProcessId, "sleep");
            var viaPid = await executor.RunAsync(NetnsRef.OfProcess(sleeper.ProcessId), ThreadNamespaces.Current);
            var viaPrefix = await executor.RunAsync(NetnsRef.OnHost($"/proc/{sleeper.ProcessId}/ns/net", "/"), ThreadNamespaces.Current);
            var viaName = await executor.RunAsync(ns.Ref, ThreadNamespaces.Current);

            Assert.Equal(expected, viaPid);
            Assert.Equal(expected, viaPrefix);
            Assert.Equal(expected, viaName);
            Assert.NotEqual(ThreadNamespaces.Current(), expected);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await sleeper;
            }
            catch (OperationCanceledException)
            {
                // killed on purpose
            }
        }
    }

    /// <summary>Until `ip` has entered the namespace and exec'd, /proc/PID/ns/net is still the host's.</summary>
    private static async Task WaitUntilExecedAsync(int pid, string command)
    {
        for (var i = 0; i < 200 && File.ReadAllText($"/proc/{pid}/comm").Trim() != command; i++)
        {
            await Task.Delay(10);
        }
    }
}
