using System.Net.Sockets;

namespace Mnp.Native.Rtnetlink;

/// <summary>An address from an <c>RTM_GETADDR</c> dump (<c>IFA_LOCAL</c> when present, else <c>IFA_ADDRESS</c>). Scope 0 = global, 253 = link, 254 = host.</summary>
public sealed record AddressInfo(AddressFamily Family, IPAddress Address, int PrefixLength, int InterfaceIndex, byte Scope, string? Label)
{
    public override string ToString() => $"{Address}/{PrefixLength} if{InterfaceIndex} scope {Scope}";
}
