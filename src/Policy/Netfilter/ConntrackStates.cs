namespace Mnp.Policy.Netfilter;

/// <summary>Conntrack states as the kernel's <c>state_mask</c> bits.</summary>
[Flags]
public enum ConntrackStates
{
    None = 0,
    Invalid = 1,
    Established = 2,
    Related = 4,
    New = 8,
}
