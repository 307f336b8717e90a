using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mnp.Bench.Reference;

/// <summary>
/// The <c>nft</c> processes that the nftables reference agent (k8snetworkplumbingwg/multi-networkpolicy-nftables, the
/// OpenShift 4.22 backend, on knftables v0.0.18) runs to (re)apply one policy to one pod: <c>enforcePolicy</c> inside
/// <c>netns.Do</c>. Reproduced from its code as facts (commands and their order), written here from scratch:
/// <list type="number">
/// <item><c>knftables.New</c>: <c>nft --version</c>, then <c>nft --check -f -</c> of <c>add table … { comment "test" }</c>.</item>
/// <item><c>cleanUp</c>: <c>nft --json list chain inet multi_networkpolicy</c> input, output, ingress, egress (the rules
/// whose comment is <c>ns/name</c>); <c>nft --json list chains inet</c>; <c>nft --json list sets inet</c>; then
/// transaction 1, <c>nft -f -</c>: delete those rules by handle, flush and delete the policy's chain
/// <c>cnp-HASH</c>, flush and delete each of its sets (<c>snp-HASH…</c>, <c>smi-HASH</c>).</item>
/// <item><c>ensureBasicStructure</c>: three <c>list chain … ingress</c> and three <c>list chain … egress</c> (one per
/// marker rule: "Connection tracking", "Jump to common", "Drop rule"); transaction 2, <c>nft -f -</c>: add the
/// table, the input/output base chains, ingress/egress and common-ingress/common-egress, the marker rules that were
/// missing, and flush the two common chains.</item>
/// <item><c>createPolicyChain</c>: <c>list chain … ingress</c> once more for the drop rule's handle (egress too when
/// the policy has egress: 19 processes; this ingress-only policy runs 18); transaction 3, <c>nft -f -</c>: the
/// <c>smi-HASH</c> ifname set and its element, the dispatcher rule <c>iifname @smi-HASH jump ingress</c>, chain
/// <c>cnp-HASH</c>, <c>insert … handle DROP jump cnp-HASH</c>, one reverse rule per own address, then per ingress rule
/// i a set <c>snp-HASH_ingress_ipv4_net1_i</c> (plain ipv4_addr, one <c>add element</c> per address) and
/// <c>iifname net1 ip saddr @set meta l4proto tcp th dport { ports } accept</c> (an anonymous port set per rule).</item>
/// </list>
/// The three transactions are separate commits: between 1 and 3 the dispatcher rule is gone and the pod is open.
/// </summary>
internal sealed class ReferenceNftSequence
{
    public const string TableName = "multi_networkpolicy";
    private const string Table = "inet " + TableName;
    private static readonly string[] MarkerComments = ["Connection tracking", "Jump to common", "Drop rule"];

    private readonly string _policy;
    private readonly string _hash;
    private readonly string _ownAddress;
    private int _processes;

    public ReferenceNftSequence(string policyNamespace, string policyName, string ownAddress)
    {
        _policy = $"{policyNamespace}/{policyName}";
        // The reference's object id: SHA-256 of "name-namespace", the first 16 bytes in hex.
        _hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{policyName}-{policyNamespace}")).AsSpan(0, 16));
        _ownAddress = ownAddress;
    }

    private string PolicyChain => "cnp-" + _hash;

    private string InterfaceSet => "smi-" + _hash;

    /// <summary>Runs the whole sequence in the calling thread's network namespace; returns how many nft processes it ran.</summary>
    public int Apply(IReadOnlyList<ReferenceRule> rules)
    {
        _processes = 0;
        Nft(["--version"]);
        Nft(["--check", "-f", "-"], $"add table {Table} {{ comment \"test\" ; }}\n");
        CleanUp();
        EnsureBasicStructure();
        EnforcePolicy(rules);
        return _processes;
    }

    private void CleanUp()
    {
        var batch = new StringBuilder();
        foreach (var chain in new[] { "input", "output", "ingress", "egress" })
        {
            foreach (var (handle, _) in ListRules(chain).Where(r => r.Comment == _policy))
            {
                batch.Append(CultureInfo.InvariantCulture, $"delete rule {Table} {chain} handle {handle}\n");
            }
        }

        foreach (var chain in NftJsonListing.Names(List("chains"), "chain").Where(c => c == PolicyChain))
        {
            batch.Append(CultureInfo.InvariantCulture, $"flush chain {Table} {chain}\ndelete chain {Table} {chain}\n");
        }

        foreach (var set in NftJsonListing.Names(List("sets"), "set").Where(s => s.StartsWith("snp-" + _hash, StringComparison.Ordinal) || s.StartsWith(InterfaceSet, StringComparison.Ordinal)))
        {
            batch.Append(CultureInfo.InvariantCulture, $"flush set {Table} {set}\ndelete set {Table} {set}\n");
        }

        Nft(["-f", "-"], batch.ToString());
    }

    private void EnsureBasicStructure()
    {
        var batch = new StringBuilder($"add table {Table} {{ comment \"MultiNetworkPolicy\" ; }}\n");
        batch.Append(CultureInfo.InvariantCulture, $"add chain {Table} input {{ type filter hook input priority filter ; comment \"Input Dispatcher\" ; }}\n");
        batch.Append(CultureInfo.InvariantCulture, $"add chain {Table} output {{ type filter hook output priority filter ; comment \"Output Dispatcher\" ; }}\n");
        foreach (var (chain, comment) in new[] { ("ingress", "Ingress Policies"), ("egress", "Egress Policies") })
        {
            var common = "common-" + chain;
            batch.Append(CultureInfo.InvariantCulture, $"add chain {Table} {chain} {{ comment \"{comment}\" ; }}\nadd chain {Table} {common} {{ comment \"Common Policies\" ; }}\n");
            string[] markerRules = ["ct state established,related accept", "jump " + common, "drop"];
            for (var i = 0; i < MarkerComments.Length; i++)
            {
                // One listing per marker, as the reference looks each one up separately.
                if (!ListRules(chain).Any(r => r.Comment == MarkerComments[i]))
                {
                    batch.Append(CultureInfo.InvariantCulture, $"add rule {Table} {chain} {markerRules[i]} comment \"{MarkerComments[i]}\"\n");
                }
            }
        }

        batch.Append(CultureInfo.InvariantCulture, $"flush chain {Table} common-ingress\nflush chain {Table} common-egress\n");
        Nft(["-f", "-"], batch.ToString());
    }

    private void EnforcePolicy(IReadOnlyList<ReferenceRule> rules)
    {
        var batch = new StringBuilder();
        batch.Append(CultureInfo.InvariantCulture, $"add set {Table} {InterfaceSet} {{ type ifname ; comment \"Managed interfaces set for {_policy}\" ; }}\n");
        batch.Append(CultureInfo.InvariantCulture, $"add element {Table} {InterfaceSet} {{ net1 }}\n");
        batch.Append(CultureInfo.InvariantCulture, $"add rule {Table} input iifname @{InterfaceSet} jump ingress comment \"{_policy}\"\n");
        batch.Append(CultureInfo.InvariantCulture, $"add chain {Table} {PolicyChain} {{ comment \"MultiNetworkPolicy {_policy}\" ; }}\n");
        var drop = ListRules("ingress").First(r => r.Comment == "Drop rule").Handle;
        batch.Append(CultureInfo.InvariantCulture, $"insert rule {Table} ingress handle {drop} jump {PolicyChain} comment \"{_policy}\"\n");
        batch.Append(CultureInfo.InvariantCulture, $"add rule {Table} {PolicyChain} iifname net1 ip saddr {_ownAddress} accept\n");
        for (var i = 0; i < rules.Count; i++)
        {
            var set = $"snp-{_hash}_ingress_ipv4_net1_{i}";
            batch.Append(CultureInfo.InvariantCulture, $"add set {Table} {set} {{ type ipv4_addr ; comment \"Addresses for {_policy}\" ; }}\n");
            foreach (var peer in rules[i].Peers)
            {
                batch.Append(CultureInfo.InvariantCulture, $"add element {Table} {set} {{ {peer} }}\n");
            }

            batch.Append(CultureInfo.InvariantCulture, $"add rule {Table} {PolicyChain} iifname net1 ip saddr @{set} meta l4proto tcp th dport {{ {rules[i].TcpPorts} }} accept\n");
        }

        Nft(["-f", "-"], batch.ToString());
    }

    /// <summary>knftables' ListRules: a missing table or chain is "not found", an empty list.</summary>
    private List<(long Handle, string? Comment)> ListRules(string chain)
    {
        var (exitCode, output, _) = Count(["--json", "list", "chain", "inet", TableName, chain]);
        return exitCode == 0 ? NftJsonListing.Rules(output) : [];
    }

    private string List(string kind)
    {
        var (exitCode, output, _) = Count(["--json", "list", kind, "inet"]);
        return exitCode == 0 ? output : string.Empty;
    }

    private void Nft(string[] arguments, string? stdin = null)
    {
        _processes++;
        ChildInNetns.Check("nft", arguments, stdin);
    }

    private (int, string, string) Count(string[] arguments)
    {
        _processes++;
        return ChildInNetns.Run("nft", arguments);
    }
}
