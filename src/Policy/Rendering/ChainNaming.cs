using System.Globalization;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>
/// Our chain names, injective by construction within one pod: <c>MNP-IN-&lt;if&gt;</c> / <c>MNP-EG-&lt;if&gt;</c>,
/// and <c>…/k</c> or <c>…/k.e</c> for the sub-chains of allowance k (and its except chain e). The interface
/// part is the name itself when it is plain (only <c>[A-Za-z0-9._-]</c>) and the whole chain name fits
/// <see cref="ChainNames.MaxLength"/>; otherwise it is <c>%i</c>, i being the interface's position in the
/// pod's interfaces sorted by name. Neither <c>%</c> nor <c>/</c> is plain, so a chain name splits back into
/// (direction, interface, sub-chain) one way only: two distinct triples never share a name, whatever the
/// interface names are (a hash could collide; an interface called <c>net1-1</c> cannot pose as a sub-chain of
/// <c>net1</c>). Only plain characters and digits reach the text, so a chain name never needs quoting.
/// </summary>
public static class ChainNaming
{
    public const string IngressTag = "IN";
    public const string EgressTag = "EG";
    public const char SubChainSeparator = '/';
    public const char IndexMarker = '%';

    /// <param name="tag"><see cref="IngressTag"/> or <see cref="EgressTag"/>.</param>
    /// <param name="interfaceName">The interface, any name.</param>
    /// <param name="interfaceIndex">Its position among the pod's interfaces sorted by ordinal name.</param>
    /// <param name="subChain">0 for the direction's main chain, else the allowance's sub-chain number.</param>
    /// <param name="exceptChain">0, or the number of an except chain under <paramref name="subChain"/>.</param>
    public static string For(string tag, string interfaceName, int interfaceIndex, int subChain = 0, int exceptChain = 0)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(interfaceName);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(subChain);
        ArgumentOutOfRangeException.ThrowIfNegative(exceptChain);
        var suffix = subChain == 0 && exceptChain == 0
            ? string.Empty
            : exceptChain == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{SubChainSeparator}{subChain}")
                : string.Create(CultureInfo.InvariantCulture, $"{SubChainSeparator}{subChain}.{exceptChain}");
        var head = $"{ChainNames.OwnedPrefix}{tag}-";
        if (IsPlain(interfaceName) && head.Length + interfaceName.Length + suffix.Length <= ChainNames.MaxLength)
        {
            return head + interfaceName + suffix;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{head}{IndexMarker}{interfaceIndex}{suffix}");
    }

    /// <summary>Plain names are used as they are: letters, digits, '.', '_' and '-' (ASCII only).</summary>
    public static bool IsPlain(string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        return interfaceName.Length > 0 && interfaceName.All(c => c is '.' or '_' or '-' || char.IsAsciiLetterOrDigit(c));
    }
}
