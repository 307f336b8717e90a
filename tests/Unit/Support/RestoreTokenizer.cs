using System.Text;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// How iptables-restore 1.8.9 splits one rule line into arguments (add_param_to_argv in iptables/xshared.c,
/// re-implemented from its behaviour): space, tab and newline end a word outside quotes; a double quote opens
/// a quoted part, in which a backslash takes the next character literally; a closing quote also ends the word.
/// Used to check that what we render reads back as exactly the arguments we meant.
/// </summary>
public static class RestoreTokenizer
{
    public static IReadOnlyList<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var escaped = false;
        foreach (var c in line)
        {
            if (quoted)
            {
                if (escaped)
                {
                    word.Append(c);
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    quoted = false;
                    words.Add(word.ToString());
                    word.Clear();
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c == '"')
            {
                quoted = true;
            }
            else if (c is ' ' or '\t' or '\n')
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
