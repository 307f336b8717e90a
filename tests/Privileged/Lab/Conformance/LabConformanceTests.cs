using System.Diagnostics;
using System.Net.Sockets;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Probe;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using Mnp.Tests.Support.E2e;
using Mnp.Tests.Support.Lab;
using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>
/// The e2e cases on the real kernel: for each case and step the lab is brought to the step's cluster through the
/// controller (plumbing and rules), then every ordered pair of the 9 pods is probed on the case's TCP and UDP ports
/// and family, and EVERY probe is compared with <see cref="PolicyEvaluator.Decide"/> on the cluster the lab
/// reconciled; the case's own truth table is checked on the wire too. SCTP (no sockets in this kernel) is checked on
/// the rules: the kernel holds the rendered sctp rules and the classifier over them says what the evaluator says.
/// Runs once per backend (<see cref="IptablesLabConformanceTests"/>, <see cref="NftablesLabConformanceTests"/>): the
/// lab is brought up with it, so every apply commits through it.
/// </summary>
public abstract class LabConformanceTests(LabConformanceFixture lab, ITestOutputHelper output)
{
    /// <summary>Short first attempt (most cells connect at once); disagreeing cells are probed once more with the long one,
    /// so a loaded machine does not turn a slow handshake into a false "blocked".</summary>
    private static readonly TimeSpan FirstTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryTimeout = TimeSpan.FromSeconds(3);

    private static readonly IReadOnlyDictionary<string, ImmutableArray<ContainerPort>> NoDeclaredPorts = new Dictionary<string, ImmutableArray<ContainerPort>>();

    [LabTheory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task Probes_and_rules_agree_with_the_evaluator(string name)
    {
        var testCase = ConformanceCases.Find(name);
        var cluster = new TestCluster();
        testCase.Setup(cluster);
        var mismatches = new List<string>();
        var probed = 0;
        var clock = Stopwatch.StartNew();
        for (var index = 0; index < testCase.Steps.Length; index++)
        {
            var step = testCase.Steps[index];
            step.Change(cluster);
            var desired = ConformanceSnapshots.ForStep(cluster.Build());
            var summary = await lab.Controller.ApplyAsync(lab.Lab, desired);
            var view = LabCluster.Materialize(LabSnapshotRequests.FromInterfaces(desired), summary.State);
            var evaluator = new PolicyEvaluator(view, PolicyOptions.Default);
            var label = $"step {index + 1}";
            probed += await CheckWireAsync(testCase, step, summary.State, view, evaluator, label, mismatches);
            await CheckSctpRulesAsync(testCase, step, summary.State, view, evaluator, label, mismatches);
        }

        Assert.Equal(lab.Backend, lab.Controller.Load(lab.Lab).Backend);
        output.WriteLine($"{name} ({lab.Backend}): {testCase.Steps.Length} step(s), {probed} probes, {clock.ElapsedMilliseconds} ms");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} disagreement(s):\n{string.Join('\n', mismatches)}");
    }

    private async Task<int> CheckWireAsync(
        E2eCase testCase, E2eStep step, LabState state, ClusterSnapshot view, PolicyEvaluator evaluator, string label, List<string> mismatches)
    {
        var wanted = step.Expectations.Where(ConformanceCases.ProbesOnTheWire).Select(e => (e.Port, e.Protocol)).ToHashSet();
        if (wanted.Count == 0)
        {
            return 0;
        }

        var filter = new ProbeFilter([], [], [.. wanted.Select(w => w.Port).Distinct()], [.. wanted.Select(w => w.Protocol).Distinct()]);
        var probes = ProbePlanner.Plan(state, NoDeclaredPorts, filter)
            .Where(p => p.Network == testCase.Network && Probed(testCase, FamilyOf(p.Address)) && wanted.Contains((p.Port, p.Protocol)))
            .ToList();
        var pods = view.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var attached = pods.Values.Count(p => p.Interfaces.Any(i => i.Network == testCase.Network));
        Assert.Equal(attached * (attached - 1) * wanted.Count * (ConformanceCases.IsDualStack(testCase) ? 2 : 1), probes.Count);
        var verdicts = probes.Select(p => evaluator.Decide(pods[p.From], p.Source!, pods[p.To], p.Address, p.Network, p.Port, p.Protocol).Allowed).ToArray();
        var connected = (await lab.Controller.ProbeAsync(state, probes, FirstTimeout)).Select(r => r.Connected).ToArray();

        var disagreeing = Enumerable.Range(0, probes.Count).Where(i => connected[i] != verdicts[i]).ToList();
        if (disagreeing.Count > 0)
        {
            output.WriteLine($"{label}: re-probing {disagreeing.Count} disagreeing cell(s) with {RetryTimeout.TotalSeconds} s");
            var again = await lab.Controller.ProbeAsync(state, [.. disagreeing.Select(i => probes[i])], RetryTimeout);
            for (var k = 0; k < disagreeing.Count; k++)
            {
                connected[disagreeing[k]] = again[k].Connected;
            }
        }

        for (var i = 0; i < probes.Count; i++)
        {
            var probe = probes[i];
            var cell = $"{label} {ProbeRunner.ProtocolName(probe.Protocol)}/{probe.Port} {probe.From} -> {probe.To} ({probe.Address})";
            if (connected[i] != verdicts[i])
            {
                mismatches.Add($"{cell}: evaluator {Word(verdicts[i])}, wire {Word(connected[i])}");
            }

            var expectation = step.Expectations.FirstOrDefault(e => e.Port == probe.Port && e.Protocol == probe.Protocol);
            if (expectation is not null && FamilyOf(probe.Address) == testCase.Family && testCase.Pods.Contains(probe.From) && testCase.Pods.Contains(probe.To)
                && expectation.Expected(probe.From, probe.To) != connected[i])
            {
                mismatches.Add($"{cell}: truth table {Word(expectation.Expected(probe.From, probe.To))}, wire {Word(connected[i])}");
            }
        }

        output.WriteLine($"{label}: {probes.Count} probes, {verdicts.Count(v => !v)} denied by the evaluator, {connected.Count(c => !c)} blocked on the wire");
        return probes.Count;
    }

    /// <summary>Dual-stack cases are probed in both families (the other family's verdicts come from the evaluator alone).</summary>
    private static bool Probed(E2eCase testCase, IpFamily family) => family == testCase.Family || ConformanceCases.IsDualStack(testCase);

    /// <summary>
    /// SCTP on the rules: every pod's kernel table holds as many sctp rules as rendered, and for every ordered pair the
    /// classifier over the source's egress and the destination's ingress tables says what the evaluator says.
    /// </summary>
    private async Task CheckSctpRulesAsync(
        E2eCase testCase, E2eStep step, LabState state, ClusterSnapshot view, PolicyEvaluator evaluator, string label, List<string> mismatches)
    {
        var ports = step.Expectations.Where(e => e.Protocol == Protocol.Sctp).Select(e => e.Port).Distinct().ToList();
        var options = PolicyOptions.Default;
        var compiled = PolicyCompiler.Compile(view, LabCluster.NodeName(state.Name), options).ToDictionary(p => p.Pod.Key, StringComparer.Ordinal);
        var nftables = lab.Backend == FirewallBackendKind.Nftables;
        var tables = compiled.ToDictionary(c => c.Key, c => TableRenderer.Render(c.Value, testCase.Family, options), StringComparer.Ordinal);
        var nftTables = compiled.ToDictionary(c => c.Key, c => NftRenderer.Render(c.Value, options), StringComparer.Ordinal);
        var kernelRules = 0;
        foreach (var pod in compiled.Keys)
        {
            var rendered = nftables ? NftSctpRuleCount(nftTables[pod] is { } nft ? NftText.Write(nft) : "") : SctpRuleCount(IptablesSaveWriter.Write(tables[pod]));
            if (rendered == 0 && ports.Count == 0)
            {
                continue;
            }

            var netns = state.FindPod(pod)!.Netns;
            var save = testCase.Family == IpFamily.V4 ? "iptables-legacy-save" : "ip6tables-legacy-save";
            var kernel = nftables
                ? NftSctpRuleCount(await HostTools.IpAsync("netns", "exec", netns, "nft", "list", "ruleset"))
                : SctpRuleCount(await HostTools.IpAsync("netns", "exec", netns, save, "-t", "filter"));
            kernelRules += kernel;
            if (kernel != rendered)
            {
                mismatches.Add($"{label} {pod}: kernel holds {kernel} sctp rule(s), rendered {rendered}");
            }
        }

        var pods = view.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        bool Accepts(string pod, NetfilterPacket packet) => nftables
            ? !nftTables.TryGetValue(pod, out var nft) || NftClassifier.Accepts(nft, packet)
            : !tables.TryGetValue(pod, out var table) || TableClassifier.Classify(table, packet).Accepted;

        if (ports.Count > 0)
        {
            output.WriteLine($"{label}: SCTP {string.Join(',', ports)} checked on the rules for {ports.Count * 72} ordered pairs; the kernel holds {kernelRules} sctp rule(s)");
        }

        foreach (var port in ports)
        {
            foreach (var from in ConformanceSnapshots.AllPods)
            {
                foreach (var to in ConformanceSnapshots.AllPods.Where(t => t != from))
                {
                    var source = Attachment(pods[from], testCase);
                    var destination = Attachment(pods[to], testCase);
                    var expected = evaluator.Decide(pods[from], source.Address, pods[to], destination.Address, testCase.Network, port, Protocol.Sctp).Allowed;
                    var egress = Accepts(from, new NetfilterPacket(
                        testCase.Family, null, source.Interface, source.Address, destination.Address, NetfilterProtocol.Sctp, port));
                    var ingress = Accepts(to, new NetfilterPacket(
                        testCase.Family, destination.Interface, null, source.Address, destination.Address, NetfilterProtocol.Sctp, port));
                    if (expected != (egress && ingress))
                    {
                        mismatches.Add($"{label} SCTP/{port} {from} -> {to}: evaluator {Word(expected)}, rules {Word(egress && ingress)}");
                    }
                }
            }
        }
    }

    private static (string Interface, IPAddress Address) Attachment(PodInfo pod, E2eCase testCase)
    {
        var attachment = pod.Interfaces.First(i => i.Network == testCase.Network);
        return (attachment.Interface, attachment.Addresses.First(a => FamilyOf(a) == testCase.Family));
    }

    private static int SctpRuleCount(string save) => save.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal) && l.Contains("-p sctp", StringComparison.Ordinal));

    /// <summary>Rules of the nft text that match sctp (one rule per line; both families are in the one inet table).</summary>
    private static int NftSctpRuleCount(string text) => text.Split('\n').Count(l => l.Contains("sctp", StringComparison.Ordinal));

    private static IpFamily FamilyOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;

    private static string Word(bool allowed) => allowed ? "allowed" : "denied";
}
