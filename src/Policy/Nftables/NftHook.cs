namespace Mnp.Policy.Nftables;

/// <summary>The netfilter hooks our base chains sit on (values are the kernel's hook numbers).</summary>
public enum NftHook
{
    Input = 1,
    Output = 3,
}
