using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// The label keys whose value (or presence) differs between two label sets of one object. A selector that reads none
/// of them gives both sets the same verdict, so a label change need only look at the selectors that read a changed key.
/// </summary>
public sealed class ChangedLabels
{
    private readonly List<string> _keys = [];

    public ChangedLabels(IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> now)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(now);
        if (ReferenceEquals(old, now))
        {
            return;
        }

        foreach (var (key, value) in old)
        {
            if (!now.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                _keys.Add(key);
            }
        }

        foreach (var (key, _) in now)
        {
            if (!old.ContainsKey(key))
            {
                _keys.Add(key);
            }
        }
    }

    public bool IsEmpty => _keys.Count == 0;

    /// <summary>Whether <paramref name="selector"/> reads a changed key (only then can its verdict differ).</summary>
    public bool CanFlip(LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        foreach (var requirement in selector.Requirements)
        {
            foreach (var key in _keys)
            {
                if (string.Equals(key, requirement.Key, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
