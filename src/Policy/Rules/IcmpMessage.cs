using System.Globalization;

namespace Mnp.Policy.Rules;

/// <summary>
/// An ICMP or ICMPv6 message the custom-rules file accepts: one type, and either every code of it (<see cref="Code"/>
/// null) or one code. Printed by number as the file may write it, <c>3</c> or <c>3/4</c>.
/// </summary>
public sealed record IcmpMessage(byte Type, byte? Code = null)
{
    public override string ToString() =>
        Code is { } code ? string.Create(CultureInfo.InvariantCulture, $"{Type}/{code}") : Type.ToString(CultureInfo.InvariantCulture);
}
