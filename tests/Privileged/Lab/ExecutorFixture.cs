namespace Mnp.Tests.Privileged.Lab;

/// <summary>One netns executor per test class (its thread and the warmed pool are shared by the tests).</summary>
public sealed class ExecutorFixture : IDisposable
{
    public NetnsExecutor Executor { get; } = new();

    public void Dispose() => Executor.Dispose();
}
