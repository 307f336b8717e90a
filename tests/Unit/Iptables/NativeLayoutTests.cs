using System.Diagnostics;
using System.Text;
using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>
/// Compiles a C file of <c>_Static_assert</c>s generated from the constants the encoder uses, so a wrong
/// offset or size fails here (at gcc's compile time) rather than as EINVAL from the kernel.
/// </summary>
public sealed class NativeLayoutTests
{
    [GccFact]
    public void Encoder_constants_match_the_C_headers()
    {
        var source = GenerateAssertions();
        var (exitCode, output) = CompileSyntaxOnly(source);
        Assert.True(exitCode == 0, $"gcc rejected the layout assertions:\n{output}\n--- source ---\n{source}");
    }

    [GccFact]
    public void A_wrong_constant_is_caught_by_the_generated_check()
    {
        var source = GenerateAssertions() + "_Static_assert(offsetof(struct ipt_entry, target_offset) == 90, \"deliberately wrong\");\n";
        var (exitCode, output) = CompileSyntaxOnly(source);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("deliberately wrong", output, StringComparison.Ordinal);
    }

    private static string GenerateAssertions()
    {
        var c = new StringBuilder();
        foreach (var header in GccFactAttribute.RequiredHeaders)
        {
            c.Append("#include <").Append(header["/usr/include/".Length..]).AppendLine(">");
        }

        c.Insert(0, "#include <stddef.h>\n");
        void Eq(string expression, int value) => c.AppendLine($"_Static_assert(({expression}) == {value}, \"{expression} == {value}\");");

        foreach (var (layout, entry, ip, ipField, icmp) in new[]
                 {
                     (EntryLayout.V4, "struct ipt_entry", "struct ipt_ip", "ip", "struct ipt_icmp"),
                     (EntryLayout.V6, "struct ip6t_entry", "struct ip6t_ip6", "ipv6", "struct ip6t_icmp"),
                 })
        {
            Eq($"sizeof({entry})", layout.Size);
            Eq($"offsetof({entry}, elems)", layout.Size);
            Eq($"offsetof({entry}, {ipField})", 0);
            Eq($"sizeof((({ip}*)0)->src)", layout.AddressLength);
            Eq($"offsetof({ip}, src)", layout.Source);
            Eq($"offsetof({ip}, dst)", layout.Destination);
            Eq($"offsetof({ip}, smsk)", layout.SourceMask);
            Eq($"offsetof({ip}, dmsk)", layout.DestinationMask);
            Eq($"offsetof({ip}, iniface)", layout.InInterface);
            Eq($"offsetof({ip}, outiface)", layout.OutInterface);
            Eq($"offsetof({ip}, iniface_mask)", layout.InInterfaceMask);
            Eq($"offsetof({ip}, outiface_mask)", layout.OutInterfaceMask);
            Eq($"sizeof((({ip}*)0)->iniface)", EntryLayout.InterfaceFieldLength);
            Eq($"offsetof({ip}, proto)", layout.Protocol);
            Eq($"offsetof({ip}, flags)", layout.Flags);
            Eq($"offsetof({ip}, invflags)", layout.InvFlags);
            Eq($"offsetof({entry}, target_offset)", layout.TargetOffset);
            Eq($"offsetof({entry}, next_offset)", layout.NextOffset);
            Eq($"offsetof({entry}, comefrom)", layout.Comefrom);
            Eq($"sizeof({icmp})", XtLayout.IcmpInfoSize);
            Eq($"offsetof({icmp}, type)", XtLayout.IcmpType);
            Eq($"offsetof({icmp}, code)", XtLayout.IcmpCode);
            Eq($"offsetof({icmp}, invflags)", XtLayout.IcmpInvFlags);
        }

        foreach (var (prefix, level) in new[] { ("ipt", "IPPROTO_IP"), ("ip6t", "IPPROTO_IPV6") })
        {
            var upper = prefix.ToUpperInvariant();
            Eq(level, prefix == "ipt" ? TableBlobLayout.LevelV4 : TableBlobLayout.LevelV6);
            Eq($"{upper}_SO_GET_INFO", TableBlobLayout.GetInfo);
            Eq($"{upper}_SO_GET_ENTRIES", TableBlobLayout.GetEntries);
            Eq($"sizeof(struct {prefix}_getinfo)", TableBlobLayout.InfoSize);
            Eq($"sizeof((({"struct " + prefix}_getinfo*)0)->name)", TableBlobLayout.TableNameLength);
            Eq($"offsetof(struct {prefix}_getinfo, valid_hooks)", TableBlobLayout.InfoValidHooks);
            Eq($"offsetof(struct {prefix}_getinfo, hook_entry)", TableBlobLayout.InfoHookEntry);
            Eq($"offsetof(struct {prefix}_getinfo, underflow)", TableBlobLayout.InfoUnderflow);
            Eq($"offsetof(struct {prefix}_getinfo, num_entries)", TableBlobLayout.InfoNumEntries);
            Eq($"offsetof(struct {prefix}_getinfo, size)", TableBlobLayout.InfoSizeField);
            Eq($"sizeof(struct {prefix}_get_entries)", TableBlobLayout.EntriesHeaderSize);
            Eq($"offsetof(struct {prefix}_get_entries, entrytable)", TableBlobLayout.EntriesHeaderSize);
            Eq($"offsetof(struct {prefix}_get_entries, size)", TableBlobLayout.EntriesSizeField);
        }

        Eq("NF_INET_NUMHOOKS", TableBlobLayout.Hooks);
        var hooks = new Dictionary<string, string> { ["PREROUTING"] = "PRE_ROUTING", ["INPUT"] = "LOCAL_IN", ["FORWARD"] = "FORWARD", ["OUTPUT"] = "LOCAL_OUT", ["POSTROUTING"] = "POST_ROUTING" };
        for (var hook = 0; hook < TableBlobLayout.Hooks; hook++)
        {
            Eq($"NF_INET_{hooks[TableBlobLayout.HookChain(hook)]}", hook);
        }

        Eq("offsetof(struct xt_error_target, errorname)", TableBlobLayout.ErrorNameOffset);
        Eq("XT_FUNCTION_MAXNAMELEN", TableBlobLayout.ErrorNameLength);
        Eq("IP6T_F_PROTO", EntryLayout.Ip6FlagProto);
        Eq("sizeof(struct xt_entry_match)", XtLayout.HeaderSize);
        Eq("sizeof(struct xt_entry_target)", XtLayout.HeaderSize);
        Eq("offsetof(struct xt_entry_match, u.user.name)", XtLayout.NameOffset);
        Eq("sizeof(((struct xt_entry_match*)0)->u.user.name)", XtLayout.NameLength);
        Eq("offsetof(struct xt_entry_match, u.user.revision)", XtLayout.RevisionOffset);
        Eq("XT_ALIGN(sizeof(struct xt_standard_target))", XtLayout.StandardTargetSize);
        Eq("offsetof(struct xt_standard_target, verdict)", XtLayout.VerdictOffset);
        Eq("sizeof(struct xt_tcp)", XtLayout.TcpInfoSize);
        Eq("sizeof(struct xt_udp)", XtLayout.UdpInfoSize);
        Eq("offsetof(struct xt_tcp, spts)", XtLayout.TcpUdpSourcePorts);
        Eq("offsetof(struct xt_tcp, dpts)", XtLayout.TcpUdpDestinationPorts);
        Eq("offsetof(struct xt_udp, spts)", XtLayout.TcpUdpSourcePorts);
        Eq("offsetof(struct xt_udp, dpts)", XtLayout.TcpUdpDestinationPorts);
        Eq("offsetof(struct xt_tcp, option)", XtLayout.TcpOption);
        Eq("offsetof(struct xt_tcp, flg_mask)", XtLayout.TcpFlagMask);
        Eq("offsetof(struct xt_tcp, flg_cmp)", XtLayout.TcpFlagCompare);
        Eq("offsetof(struct xt_tcp, invflags)", XtLayout.TcpInvFlags);
        Eq("offsetof(struct xt_udp, invflags)", XtLayout.UdpInvFlags);
        Eq("sizeof(struct xt_multiport_v1)", XtLayout.MultiportInfoSize);
        Eq("offsetof(struct xt_multiport_v1, flags)", XtLayout.MultiportFlags);
        Eq("offsetof(struct xt_multiport_v1, count)", XtLayout.MultiportCount);
        Eq("offsetof(struct xt_multiport_v1, ports)", XtLayout.MultiportPorts);
        Eq("offsetof(struct xt_multiport_v1, pflags)", XtLayout.MultiportPortFlags);
        Eq("offsetof(struct xt_multiport_v1, invert)", XtLayout.MultiportInvert);
        Eq("XT_MULTI_PORTS", XtLayout.MultiportMaxSlots);
        Eq("XT_MULTIPORT_DESTINATION", XtLayout.MultiportDestination);
        Eq("sizeof(struct xt_conntrack_mtinfo3)", XtLayout.ConntrackInfoSize);
        Eq("offsetof(struct xt_conntrack_mtinfo3, match_flags)", XtLayout.ConntrackMatchFlags);
        Eq("offsetof(struct xt_conntrack_mtinfo3, invert_flags)", XtLayout.ConntrackInvertFlags);
        Eq("offsetof(struct xt_conntrack_mtinfo3, state_mask)", XtLayout.ConntrackStateMask);
        Eq("XT_CONNTRACK_STATE", XtLayout.ConntrackFlagState);
        Eq("XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED)", (int)ConntrackStates.Established);
        Eq("XT_CONNTRACK_STATE_BIT(IP_CT_RELATED)", (int)ConntrackStates.Related);
        Eq("XT_CONNTRACK_STATE_BIT(IP_CT_NEW)", (int)ConntrackStates.New);
        Eq("XT_CONNTRACK_STATE_INVALID", (int)ConntrackStates.Invalid);
        Eq("sizeof(struct xt_comment_info)", XtLayout.CommentInfoSize);
        Eq("-NF_ACCEPT - 1", XtLayout.VerdictAccept);
        Eq("-NF_DROP - 1", XtLayout.VerdictDrop);
        Eq("XT_RETURN", XtLayout.VerdictReturn);
        return c.ToString();
    }

    private static (int ExitCode, string Output) CompileSyntaxOnly(string source)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mnp-layout-{Guid.NewGuid():N}.c");
        File.WriteAllText(file, source);
        try
        {
            using var gcc = Process.Start(new ProcessStartInfo(GccFactAttribute.FindGcc()!, ["-fsyntax-only", "-Wall", "-Werror", file])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var stderr = gcc.StandardError.ReadToEndAsync();
            var stdout = gcc.StandardOutput.ReadToEnd();
            gcc.WaitForExit();
            return (gcc.ExitCode, stdout + stderr.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
