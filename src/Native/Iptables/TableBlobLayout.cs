namespace Mnp.Native.Iptables;

/// <summary>
/// The two read-only getsockopt calls libiptc's <c>iptc_init</c> makes, and the shape of what they return
/// (docs/native.md §7, "the read-only compare"). Asserted against the C headers by <c>NativeLayoutTests</c>.
/// </summary>
internal static class TableBlobLayout
{
    /// <summary><c>IPT_SO_GET_INFO</c> and <c>IP6T_SO_GET_INFO</c> (the same number).</summary>
    public const int GetInfo = 64;

    /// <summary><c>IPT_SO_GET_ENTRIES</c> and <c>IP6T_SO_GET_ENTRIES</c>.</summary>
    public const int GetEntries = 65;

    /// <summary>The socket level of those options: <c>IPPROTO_IP</c> for IPv4, <c>IPPROTO_IPV6</c> for IPv6.</summary>
    public const int LevelV4 = 0;

    /// <inheritdoc cref="LevelV4"/>
    public const int LevelV6 = 41;

    /// <summary><c>XT_TABLE_MAXNAMELEN</c>: the table name field of both structs.</summary>
    public const int TableNameLength = 32;

    /// <summary><c>sizeof(struct ipt_getinfo)</c> (= ip6t_getinfo).</summary>
    public const int InfoSize = 84;
    public const int InfoValidHooks = 32;
    public const int InfoHookEntry = 36;
    public const int InfoUnderflow = 56;
    public const int InfoNumEntries = 76;
    public const int InfoSizeField = 80;

    /// <summary><c>NF_INET_NUMHOOKS</c>: hook_entry and underflow hold one u32 per hook.</summary>
    public const int Hooks = 5;

    /// <summary><c>sizeof(struct ipt_get_entries)</c> (= ip6t_get_entries): the entries start here, 8-aligned for the counters.</summary>
    public const int EntriesHeaderSize = 40;
    public const int EntriesSizeField = 32;

    /// <summary><c>offsetof(struct xt_error_target, errorname)</c>: a user chain's head entry names it here.</summary>
    public const int ErrorNameOffset = 32;

    /// <summary><c>XT_FUNCTION_MAXNAMELEN</c>: the size of errorname.</summary>
    public const int ErrorNameLength = 30;

    /// <summary><c>XT_ERROR_TARGET</c>: the target of a user chain's head entry and of the table's last entry.</summary>
    public static ReadOnlySpan<byte> ErrorTarget => "ERROR"u8;

    /// <summary>The built-in chain each hook starts (NF_INET_PRE_ROUTING .. NF_INET_POST_ROUTING), as libiptc names them.</summary>
    public static string HookChain(int hook) => hook switch
    {
        0 => "PREROUTING",
        1 => "INPUT",
        2 => "FORWARD",
        3 => "OUTPUT",
        _ => "POSTROUTING",
    };
}
