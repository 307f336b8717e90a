using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>
/// The read-only compare over a table laid out as the kernel returns it (<see cref="SyntheticTableBlob"/>; the
/// privileged DriftDetectionTests hold it to the real kernel): the model it was made from holds, any other model
/// does not, and no corruption or truncation of the blob makes it throw (it runs in every pod's sync: an odd table
/// must send the sync to the libiptc path, never fail it).
/// </summary>
public sealed class TableBlobScanTests
{
    private static readonly NetfilterTable Model = new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-IN"))]),
        new NetfilterChain("OUTPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-OUT"))]),
        new NetfilterChain("MNP-IN",
        [
            new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Established | ConntrackStates.Related },
            new NetfilterRule(RuleTarget.JumpTo("MNP-PEERS")) { InInterface = "net1", Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(80, 80), (8000, 8080)] },
            new NetfilterRule(RuleTarget.Drop) { InInterface = "net1", Comment = "mnp: isolated" },
        ]),
        new NetfilterChain("MNP-OUT", [new NetfilterRule(RuleTarget.Drop) { OutInterface = "net1" }]),
        new NetfilterChain("MNP-PEERS", [new NetfilterRule(RuleTarget.Accept) { Source = IPNetwork.Parse("10.9.0.0/24") }, new NetfilterRule(RuleTarget.Return)]),
    ]);

    [Fact]
    public void The_table_a_model_was_committed_as_holds_that_model()
    {
        Assert.True(TableBlobScan.Holds(SyntheticTableBlob.Of(Model), XtablesWriter.Prepare(Model)));
        Assert.True(TableBlobScan.Holds(SyntheticTableBlob.Of(NetfilterTable.Empty(IpFamily.V4)), XtablesWriter.Prepare(NetfilterTable.Empty(IpFamily.V4))));
    }

    public static TheoryData<string, NetfilterTable> OtherModels => new()
    {
        { "a port changed", With("MNP-IN", 1, r => r with { DestinationPorts = [(80, 80), (8000, 8081)] }) },
        { "a verdict changed", With("MNP-IN", 2, r => r with { Target = RuleTarget.Accept }) },
        { "a jump retargeted", With("MNP-IN", 1, r => r with { Target = RuleTarget.JumpTo("MNP-OUT") }) },
        { "a rule more", Model with { Chains = [.. Model.Chains.Select(c => c.Name == "MNP-OUT" ? c with { Rules = [.. c.Rules, new NetfilterRule(RuleTarget.Accept)] } : c)] } },
        { "a chain less", Model with { Chains = [.. Model.Chains.Where(c => c.Name != "MNP-OUT" && c.Name != "OUTPUT")] } },
        { "no jump from INPUT", Model with { Chains = [.. Model.Chains.Where(c => c.Name != "INPUT")] } },
        { "nothing of ours", NetfilterTable.Empty(IpFamily.V4) },
    };

    [Theory]
    [MemberData(nameof(OtherModels))]
    public void Another_model_does_not_hold_either_way_round(string what, NetfilterTable other)
    {
        Assert.False(TableBlobScan.Holds(SyntheticTableBlob.Of(Model), XtablesWriter.Prepare(other)), what);
        Assert.False(TableBlobScan.Holds(SyntheticTableBlob.Of(other), XtablesWriter.Prepare(Model)), what);
    }

    [Fact]
    public void A_changed_byte_of_a_rule_of_ours_never_holds_while_counters_and_comefrom_are_ignored()
    {
        var prepared = XtablesWriter.Prepare(Model);
        var rules = new List<int>();
        var blob = SyntheticTableBlob.Of(Model, rules);
        var layout = EntryLayout.V4;
        bool HoldsWith(int at, byte flip)
        {
            var copy = (byte[])blob.Buffer.Clone();
            copy[TableBlobLayout.EntriesHeaderSize + at] ^= flip;
            return TableBlobScan.Holds(blob with { Buffer = copy }, prepared);
        }

        Assert.Equal(8, rules.Count);
        foreach (var rule in rules)
        {
            var next = BitConverter.ToUInt16(blob.Entries[(rule + layout.NextOffset)..]);
            var header = Enumerable.Range(rule, layout.Comefrom);
            var targetAt = rule + next - XtLayout.StandardTargetSize;
            int[] target = [targetAt, targetAt + 1, targetAt + XtLayout.NameOffset, .. Enumerable.Range(targetAt + XtLayout.VerdictOffset, 4)]; // size, name (read up to its NUL), verdict
            Assert.All(header.Concat(target), at => Assert.False(HoldsWith(at, 0xFF), $"byte {at - rule} of the rule at {rule}"));
            Assert.All(Enumerable.Range(rule + layout.Comefrom, layout.Size - layout.Comefrom), at => Assert.True(HoldsWith(at, 0xFF), $"byte {at - rule} (comefrom, counters)"));
        }

        // A port of the multiport match (8000 = 0x1f40, little endian, after 80) changed by one.
        var port = blob.Entries.IndexOf((ReadOnlySpan<byte>)[0x50, 0x00, 0x40, 0x1f]);
        Assert.False(HoldsWith(port + 2, 0x01));
    }

    [Fact]
    public void A_truncated_table_or_any_corrupted_byte_of_a_rule_header_never_holds_wherever_it_is()
    {
        var prepared = XtablesWriter.Prepare(Model);
        var rules = new List<int>();
        var blob = SyntheticTableBlob.Of(Model, rules);
        var headers = rules.SelectMany(r => Enumerable.Range(r, EntryLayout.V4.Comefrom)).ToHashSet();
        var held = new List<int>();
        for (var at = 0; at < blob.Size; at++)
        {
            var copy = (byte[])blob.Buffer.Clone();
            copy[TableBlobLayout.EntriesHeaderSize + at] ^= 0xFF;
            if (TableBlobScan.Holds(blob with { Buffer = copy }, prepared))
            {
                held.Add(at);
            }
        }

        var truncated = Enumerable.Range(0, blob.Size).Where(size => TableBlobScan.Holds(blob with { Buffer = (byte[])blob.Buffer.Clone(), Size = size }, prepared));

        Assert.DoesNotContain(truncated, _ => true);
        Assert.DoesNotContain(held, headers.Contains);
        Assert.NotEmpty(held); // counters, comefrom and the structural entries' own headers are not compared
    }

    private static NetfilterTable With(string chain, int index, Func<NetfilterRule, NetfilterRule> change) =>
        Model with { Chains = [.. Model.Chains.Select(c => c.Name == chain ? c with { Rules = c.Rules.SetItem(index, change(c.Rules[index])) } : c)] };
}
