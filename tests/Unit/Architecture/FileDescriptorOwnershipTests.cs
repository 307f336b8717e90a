using System.Text.RegularExpressions;
using Mnp.Tests.Unit.Delivery;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// Every file descriptor src makes is owned by a SafeHandle from the moment it exists: <c>open</c> and <c>socket</c>
/// are called only in src/Native/FileDescriptors.cs, which wraps the result at once, and nothing calls <c>close</c>
/// (the handles do). Read from the sources, comments and string literals left out.
/// </summary>
public sealed partial class FileDescriptorOwnershipTests
{
    private const string Owner = "src/Native/FileDescriptors.cs";

    [Fact]
    public void Descriptors_are_made_only_where_a_handle_takes_them()
    {
        var root = RepositoryPaths.Root;
        var violations = Violations(Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllLines(f))));

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void A_raw_descriptor_is_caught()
    {
        string[] planted = ["// close(fd) in a comment is fine", "var fd = socket(16, SOCK_RAW, 0);", "_ = close(fd);", "var s = new SafeSocketHandle(fd, true);", "throw new IOException($\"socket(AF_NETLINK): {e}\");"];

        Assert.Equal(
            ["src/Native/X.cs:2: socket(", "src/Native/X.cs:3: close(", "src/Native/X.cs:4: new SafeSocketHandle("],
            Violations([("src/Native/X.cs", planted)]));
        Assert.Equal(["src/Native/FileDescriptors.cs:3: close("], Violations([(Owner, planted)]));
    }

    private static List<string> Violations(IEnumerable<(string File, string[] Lines)> files) =>
        [
            .. files.SelectMany(f => f.Lines.Select((line, index) => (f.File, Line: line, Index: index)))
                .Where(l => !l.Line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                .SelectMany(l => RawDescriptorCall().Matches(StringLiteral().Replace(l.Line, "\"\"")).Select(m => (l.File, l.Index, Call: m.Value)))
                .Where(r => r.File != Owner || r.Call == "close(")
                .Select(r => $"{r.File}:{r.Index + 1}: {r.Call}"),
        ];

    [GeneratedRegex(@"(?<![\w.])(?:open|socket|close)\(|new (?:SafeSocketHandle|SafeFileHandle)\(")]
    private static partial Regex RawDescriptorCall();

    /// <summary>A string literal's text (an error message may well say <c>socket(AF_NETLINK, ...)</c>).</summary>
    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
