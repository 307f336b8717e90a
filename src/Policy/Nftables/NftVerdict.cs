namespace Mnp.Policy.Nftables;

/// <summary>What a matching rule does: accept, drop, or jump to <see cref="Chain"/>.</summary>
public sealed record NftVerdict(NftVerdictKind Kind, string? Chain = null)
{
    public static NftVerdict Accept { get; } = new(NftVerdictKind.Accept);

    public static NftVerdict Drop { get; } = new(NftVerdictKind.Drop);

    public static NftVerdict JumpTo(string chain) => new(NftVerdictKind.Jump, chain);
}
