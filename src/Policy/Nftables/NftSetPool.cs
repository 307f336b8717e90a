using System.Globalization;
using System.Text;

namespace Mnp.Policy.Nftables;

/// <summary>
/// The named sets of one table, shared by content: a set with the same key type and elements as an earlier one
/// is not created again, its rules look up the earlier set (fewer kernel objects per allowance). The name is the
/// first user's, so names stay deterministic and readable.
/// </summary>
internal sealed class NftSetPool
{
    private readonly Dictionary<string, string> _byContent = new(StringComparer.Ordinal);

    public ImmutableArray<NftSet>.Builder Sets { get; } = ImmutableArray.CreateBuilder<NftSet>();

    /// <summary>The name to look up: <paramref name="name"/> for a new set, the earlier set's for the same content.</summary>
    public string Share(string name, NftSetKeyType type, ImmutableArray<NftInterval> elements)
    {
        var key = new StringBuilder(8 + (elements.Length * 16)).Append((int)type).Append(':');
        foreach (var element in elements)
        {
            key.Append(element.First.ToString("x", CultureInfo.InvariantCulture)).Append('-').Append(element.Last.ToString("x", CultureInfo.InvariantCulture)).Append(',');
        }

        if (_byContent.TryGetValue(key.ToString(), out var existing))
        {
            return existing;
        }

        _byContent.Add(key.ToString(), name);
        Sets.Add(new NftSet(name, type, elements));
        return name;
    }

    /// <summary>The same for a concatenation's (sorted) tuples.</summary>
    public string ShareTuples(string name, NftSetKeyType type, ImmutableArray<NftConcatKey> tuples)
    {
        var key = new StringBuilder(8 + (tuples.Length * 24)).Append((int)type).Append(':');
        foreach (var tuple in tuples)
        {
            key.Append(tuple.Address.ToString("x", CultureInfo.InvariantCulture)).Append('.').Append(tuple.Protocol).Append('.').Append(tuple.Port).Append(',');
        }

        if (_byContent.TryGetValue(key.ToString(), out var existing))
        {
            return existing;
        }

        _byContent.Add(key.ToString(), name);
        Sets.Add(new NftSet(name, type, []) { Tuples = tuples });
        return name;
    }
}
