using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Mnp.Tests.Unit.Delivery;
using Mnp.Tests.Unit.Iptables;

namespace Mnp.Tests.Unit.Native;

/// <summary>
/// The netlink structs and constants against the C headers, in the style of Tmds.LibC's checks: a C program made from
/// <see cref="NetlinkHeaderFacts"/> prints each struct's size, each field's offset and size and each constant's value as
/// the compiler sees them, and the test compares every line with the C# struct or constant. No root needed.
/// </summary>
public sealed partial class NetlinkLayoutTests
{
    [GccFact]
    public void Structs_and_constants_match_the_C_headers()
    {
        var (expected, actual) = Compare(NetlinkHeaderFacts.Constants);

        Assert.True(expected.Count > 150, $"only {expected.Count} facts compared");
        var mismatches = expected.Where(e => !actual.TryGetValue(e.Key, out var value) || value != e.Value)
            .Select(e => $"{e.Key}: C# {e.Value}, C {(actual.TryGetValue(e.Key, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "missing")}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [GccFact]
    public void A_wrong_value_is_caught_by_the_comparison()
    {
        var planted = new Dictionary<string, string>(NetlinkHeaderFacts.Constants) { ["NetlinkConstants.RtmNewLink"] = "RTM_DELLINK" };

        var (expected, actual) = Compare(planted);

        Assert.Equal(["const:NetlinkConstants.RtmNewLink"], expected.Where(e => !actual.TryGetValue(e.Key, out var value) || value != e.Value).Select(e => e.Key));
    }

    [Fact]
    public void Every_struct_with_a_layout_in_src_Native_is_checked_field_by_field()
    {
        var declared = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src", "Native"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => LayoutStruct().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(declared, NetlinkHeaderFacts.Structs.Keys.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (type, (_, fields)) in NetlinkHeaderFacts.Structs)
        {
            Assert.Equal(
                type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(f => f.Name).Order(StringComparer.Ordinal),
                fields.Select(f => f.Field).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Every_netlink_constant_is_checked()
    {
        var constants = NetlinkHeaderFacts.ConstantHolders.Concat(NetlinkHeaderFacts.SingleConstantHolders)
            .SelectMany(holder => Literals(holder).Select(f => $"{holder.Name}.{f.Name}"))
            .ToList();

        var uncovered = constants.Where(c => !NetlinkHeaderFacts.Constants.ContainsKey(c) && !NetlinkHeaderFacts.NotInHeaders.ContainsKey(c)).ToList();
        var stale = NetlinkHeaderFacts.Constants.Keys.Concat(NetlinkHeaderFacts.NotInHeaders.Keys).Where(c => !constants.Contains(c)).ToList();
        Assert.True(uncovered.Count == 0, $"constants without a C expression in NetlinkHeaderFacts: {string.Join(", ", uncovered)}");
        Assert.True(stale.Count == 0, $"NetlinkHeaderFacts names constants that do not exist: {string.Join(", ", stale)}");
    }

    /// <summary>The C# side of every fact, and what the C program printed for it.</summary>
    private static (Dictionary<string, long> Expected, Dictionary<string, long> Actual) Compare(Dictionary<string, string> constants)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        var c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n");
        foreach (var header in NetlinkHeaderFacts.Headers)
        {
            c.Append("#include <").Append(header).AppendLine(">");
        }

        c.AppendLine("int main(void)\n{");
        void Print(string key, string cType, string expression, long value)
        {
            expected[key] = value;
            c.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"%s %lld\\n\", \"{key}\", (long long)({cType})({expression}));");
        }

        foreach (var (type, (cStruct, fields)) in NetlinkHeaderFacts.Structs)
        {
            Print($"sizeof:{type.Name}", "int64_t", $"sizeof({cStruct})", Marshal.SizeOf(type));
            foreach (var (field, cField) in fields)
            {
                var fieldType = type.GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!.FieldType;
                Print($"offsetof:{type.Name}.{field}", "int64_t", $"offsetof({cStruct}, {cField})", Marshal.OffsetOf(type, field).ToInt64());
                Print($"fieldsize:{type.Name}.{field}", "int64_t", $"sizeof((({cStruct}*)0)->{cField})", Marshal.SizeOf(fieldType));
            }
        }

        foreach (var holder in NetlinkHeaderFacts.ConstantHolders.Concat(NetlinkHeaderFacts.SingleConstantHolders))
        {
            foreach (var field in Literals(holder).Where(f => constants.ContainsKey($"{holder.Name}.{f.Name}")))
            {
                var value = field.GetRawConstantValue()!;
                Print($"const:{holder.Name}.{field.Name}", CType(value), constants[$"{holder.Name}.{field.Name}"], Convert.ToInt64(value, CultureInfo.InvariantCulture));
            }
        }

        c.AppendLine("    return 0;\n}");
        return (expected, Run(c.ToString()));
    }

    private static IEnumerable<FieldInfo> Literals(Type holder) =>
        holder.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral);

    /// <summary>The C type of the C# constant's width and sign, so a negative C value compares as the C# bits (NFT_JUMP as uint).</summary>
    private static string CType(object value) => value switch
    {
        byte => "uint8_t",
        ushort => "uint16_t",
        short => "int16_t",
        int => "int32_t",
        uint => "uint32_t",
        long => "int64_t",
        _ => throw new InvalidOperationException($"no C type for {value.GetType()}"),
    };

    private static Dictionary<string, long> Run(string source)
    {
        var directory = Directory.CreateTempSubdirectory("mnp-netlink-layout-");
        try
        {
            var file = Path.Combine(directory.FullName, "layout.c");
            var program = Path.Combine(directory.FullName, "layout");
            File.WriteAllText(file, source);
            var (compiled, compilerOutput) = Execute(GccFactAttribute.FindGcc()!, ["-Wall", "-Werror", "-o", program, file]);
            Assert.True(compiled == 0, $"gcc rejected the layout program:\n{compilerOutput}\n--- source ---\n{source}");
            var (ran, output) = Execute(program, []);
            Assert.Equal(0, ran);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output) Execute(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    [GeneratedRegex(@"\[StructLayout\([^\]]*\)\]\s*(?:(?:public|internal|readonly|unsafe|partial)\s+)*struct\s+(?<name>\w+)")]
    private static partial Regex LayoutStruct();
}
