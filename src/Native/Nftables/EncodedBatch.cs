namespace Mnp.Native.Nftables;

/// <summary>
/// One nf_tables transaction ready for a single <c>sendmsg</c>, with what each sequence number stands for, so a
/// per-message error names the table, set, chain or rule that caused it.
/// </summary>
internal sealed record EncodedBatch(byte[] Bytes, uint BeginSequence, ImmutableDictionary<uint, string> Objects, int MessageCount)
{
    public string Describe(uint sequence) =>
        sequence == BeginSequence ? "batch" : Objects.TryGetValue(sequence, out var what) ? what : $"message {sequence}";
}
