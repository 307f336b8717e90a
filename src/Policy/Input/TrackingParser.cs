using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mnp.Policy.Input;

/// <summary>
/// A YAML parser that remembers where the last event ended and turns the parser's own
/// InvalidOperationException (it throws one on some broken input) into a <see cref="YamlException"/> there.
/// </summary>
internal sealed class TrackingParser(string text) : IParser
{
    private readonly Parser _inner = new(new StringReader(text));
    private Mark _lastEnd = Mark.Empty;

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        try
        {
            var moved = _inner.MoveNext();
            if (_inner.Current is { } current)
            {
                _lastEnd = current.End;
            }

            return moved;
        }
        catch (InvalidOperationException e)
        {
            throw new YamlException(_lastEnd, _lastEnd, "the YAML structure is broken after this point", e);
        }
    }
}
