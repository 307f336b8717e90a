namespace Mnp.Policy.Netfilter;

/// <summary>Naming rules for chains: ours start with <see cref="OwnedPrefix"/> and fit a jump target.</summary>
public static class ChainNames
{
    public const string OwnedPrefix = "MNP-";

    /// <summary>A jump target holds 28 characters plus NUL (xt_chainlabel is 32, iptables refuses 29+).</summary>
    public const int MaxLength = 28;

    private static readonly string[] Builtins = ["INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"];

    public static bool IsBuiltin(string name) => Array.IndexOf(Builtins, name) >= 0;

    /// <summary>The one test of "ours" for a chain or jump target; every reader and writer uses it.</summary>
    public static bool IsOwned(string name) => name.StartsWith(OwnedPrefix, StringComparison.Ordinal);

    /// <summary><see cref="IsOwned(string)"/> on a name still in the kernel's UTF-8 bytes (the in-place scan).</summary>
    public static bool IsOwned(ReadOnlySpan<byte> utf8Name) => utf8Name.StartsWith("MNP-"u8);

    /// <summary>The built-in chains of a table, in the kernel's order.</summary>
    public static ImmutableArray<string> BuiltinsOf(string table) => table switch
    {
        "filter" => ["INPUT", "FORWARD", "OUTPUT"],
        "nat" => ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "mangle" => ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        "raw" => ["PREROUTING", "OUTPUT"],
        _ => [],
    };
}
