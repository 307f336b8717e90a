using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged.Support;

/// <summary>A uniquely named network namespace created for one test and deleted on dispose, even after a failure.</summary>
public sealed class TestNamespace : IAsyncDisposable
{
    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<TestNamespace> CreateAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        await Cli.Wrap("ip").WithArguments(["netns", "add", name]).ExecuteBufferedAsync();
        return new TestNamespace(name);
    }

    /// <summary>Runs a command inside the namespace and returns its standard output; throws on a non-zero exit.</summary>
    public async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? standardInput = null)
    {
        var command = Cli.Wrap("ip").WithArguments(["netns", "exec", Name, program, .. arguments]);
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        var result = await command.ExecuteBufferedAsync();
        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync() =>
        await Cli.Wrap("ip").WithArguments(["netns", "del", Name]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
}
