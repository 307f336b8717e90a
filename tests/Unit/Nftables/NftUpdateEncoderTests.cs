using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;
using static Mnp.Tests.Unit.Nftables.NftBatchEncoderTests;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// The flush-style update batch (docs/native.md §15): the table and base chains are never deleted or re-created; only
/// chains whose rules differ are flushed and refilled, sets change by element; and it declines (null) whenever the
/// kernel's creation order could not end up as the model's.
/// </summary>
public sealed class NftUpdateEncoderTests
{
    private const int Begin = 16;
    private const int End = 17;
    private const int NewTable = 0x0a00;
    private const int DelTable = 0x0a02;
    private const int NewChain = 0x0a03;
    private const int DelChain = 0x0a05;
    private const int NewRule = 0x0a06;
    private const int DelRule = 0x0a08;
    private const int NewSet = 0x0a09;
    private const int DelSet = 0x0a0b;
    private const int NewSetElem = 0x0a0c;
    private const int DelSetElem = 0x0a0e;

    [Fact]
    public void A_changed_rule_and_element_flush_only_that_chain_and_edit_only_that_set()
    {
        var current = Golden();
        var ingress = current.Chains[1];
        var desired = current with
        {
            Sets = current.Sets.SetItem(2, current.Sets[2] with { Elements = [new NftInterval(80, 80), new NftInterval(444, 444)] }),
            Chains = current.Chains.SetItem(1, ingress with { Rules = ingress.Rules.SetItem(3, ingress.Rules[3] with { Comment = "x/p ingress[1]" }) }),
        };

        var batch = NftBatchEncoder.Update(current, desired, 7, 100)!;

        Assert.Equal([Begin, DelRule, DelSetElem, NewSetElem, .. Enumerable.Repeat(NewRule, ingress.Rules.Length), End], Types(batch));
        Assert.Equal("chain ingress-net1 (flush)", batch.Describe(101));
        Assert.Equal("set p elements from 0 (delete)", batch.Describe(102));
    }

    [Fact]
    public void Nothing_different_is_an_empty_batch()
    {
        Assert.Equal([Begin, End], Types(NftBatchEncoder.Update(Golden(), Golden(), 1, 1)!));
    }

    [Fact]
    public void Vanished_chains_and_sets_go_after_the_flushes_and_new_ones_come_before_their_rules()
    {
        var current = Golden();
        var egress = new NftChain("egress-net1", null, [new NftRule([NftMatch.DestinationInSet(Policy.Netfilter.IpFamily.V4, "e4")], NftVerdict.Accept), new NftRule([], NftVerdict.Drop)]);
        var output = new NftChain("output", NftHook.Output, [new NftRule([NftMatch.OutInterface("net1")], NftVerdict.JumpTo("egress-net1"))]);
        var e4 = new NftSet("e4", NftSetKeyType.Ipv4Address, [new NftInterval(1, 2)]);
        var desired = new NftTable("mnp", "mnp/v1", [current.Sets[2], e4], [output, egress]);

        var types = Types(NftBatchEncoder.Update(current, desired, 1, 1)!);

        // Flush input and ingress-net1 (they go), delete them, delete s4 and s6, keep p, create e4 with its element,
        // create output (a base chain: it hooks in this batch) and egress-net1, then their rules.
        Assert.Equal([Begin, DelRule, DelRule, DelChain, DelChain, DelSet, DelSet, NewSet, NewSetElem, NewChain, NewChain, NewRule, NewRule, NewRule, End], types);
        Assert.DoesNotContain(NewTable, types);
        Assert.DoesNotContain(DelTable, types);
    }

    [Fact]
    public void A_set_that_loses_most_of_its_elements_is_flushed_and_refilled()
    {
        var current = Golden();
        var desired = current with { Sets = current.Sets.SetItem(2, current.Sets[2] with { Elements = [new NftInterval(22, 22)] }) };

        var batch = NftBatchEncoder.Update(current, desired, 1, 1)!;
        var messages = Messages(batch.Bytes);

        Assert.Equal([Begin, DelSetElem, NewSetElem, End], Types(batch));
        Assert.Equal("set p (flush)", batch.Describe(2));
        Assert.True(messages[1].Bytes.Length < 40, "a flush names the set and no element");
    }

    [Fact]
    public void Changes_the_kernel_could_not_order_or_type_as_the_model_are_declined()
    {
        var current = Golden();
        var hookChanged = current with { Chains = current.Chains.SetItem(0, current.Chains[0] with { Hook = NftHook.Output }) };
        var typeChanged = current with { Sets = current.Sets.SetItem(0, current.Sets[0] with { KeyType = NftSetKeyType.InetService }) };
        var chainBefore = current with { Chains = current.Chains.Insert(1, new NftChain("egress-net0", null, [])) };
        var setBefore = current with { Sets = current.Sets.Insert(0, new NftSet("a", NftSetKeyType.Ipv4Address, [])) };
        var reordered = current with { Sets = [current.Sets[1], current.Sets[0], current.Sets[2]] };
        var remarked = current with { Comment = "mnp/v2" };

        Assert.All(new[] { hookChanged, typeChanged, chainBefore, setBefore, reordered, remarked }, desired => Assert.Null(NftBatchEncoder.Update(current, desired, 1, 1)));
        Assert.NotNull(NftBatchEncoder.Update(current, current with { Chains = current.Chains.Add(new NftChain("egress-net9", null, [])) }, 1, 1));
    }

    private static List<int> Types(EncodedBatch batch) => [.. Messages(batch.Bytes).Select(m => (int)m.Type)];
}
