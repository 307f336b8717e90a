namespace Mnp.Native.Iptables;

/// <summary>
/// The last validated and encoded pair of models per namespace, so that a periodic resync whose rendered models are
/// the ones applied last time (the common case) neither validates nor encodes them again. Keyed by the models' value
/// (<see cref="NetfilterTable"/> compares chains and rules), never by "it was applied": the kernel is still read and
/// compared on every pass. Bounded: past <see cref="MaxNamespaces"/> entries it starts over, since namespaces that
/// went away are never told to the backend.
/// </summary>
internal sealed class PreparedTableCache
{
    public const int MaxNamespaces = 4096;

    private readonly Dictionary<string, (EncodedTable V4, EncodedTable V6)> _byNamespace = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The prepared pair for these models: the cached one when both are equal to it, else validated and encoded now.</summary>
    /// <exception cref="RuleValidationException">A model was refused (nothing is cached then).</exception>
    public (EncodedTable V4, EncodedTable V6) Prepare(string netns, NetfilterTable v4, NetfilterTable v6)
    {
        lock (_gate)
        {
            if (_byNamespace.TryGetValue(netns, out var last) && last.V4.Desired.Equals(v4) && last.V6.Desired.Equals(v6))
            {
                return last;
            }
        }

        RuleValidator.ThrowIfInvalid(v4);
        RuleValidator.ThrowIfInvalid(v6);
        var prepared = (XtablesWriter.Prepare(v4), XtablesWriter.Prepare(v6));
        lock (_gate)
        {
            if (_byNamespace.Count >= MaxNamespaces)
            {
                _byNamespace.Clear();
            }

            _byNamespace[netns] = prepared;
        }

        return prepared;
    }
}
