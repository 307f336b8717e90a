namespace Mnp.Policy.Nftables;

public enum NftVerdictKind
{
    Accept,
    Drop,
    Jump,
}
