namespace Mnp.Native.Iptables;

/// <summary>A validated table model with every rule already encoded, per chain, in model order.</summary>
internal sealed record EncodedTable(NetfilterTable Desired, Dictionary<string, ImmutableArray<byte[]>> Entries);
