using System.Text;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// Strings an attacker would try: iptables' specials (<c>+</c>, <c>!</c>, quotes, backslash, <c>#</c>), our chain
/// name separators (<c>-</c>, <c>/</c>, <c>%</c>, <c>.</c>), line and word breaks, NUL and other control
/// characters, multi-byte and invalid UTF-16, flags (<c>-j</c>, <c>-A</c>), next to plain letters and digits.
/// </summary>
public static class HostileText
{
    private static readonly string[] Pieces =
    [
        "n", "e", "t", "1", "0", "a", "b", "Z", "_", "-", ".", "+", "/", "%", ":", "!", "#", "\"", "'", "\\", " ", "\t",
        "\n", "\r", "\0", "\u0001", "\u001b", "\u007f", "\u0085", "\u00a0", "\u2028", "ñ", "€", "😀", "\ud800", "\udc00",
        "-j", " -j ACCEPT", "\n-A INPUT -j ACCEPT\n", "\"\"-j\"\"ACCEPT", "--comment", "*", "$", "`",
    ];

    /// <summary>A hostile string of about <paramref name="maxPieces"/> pieces (possibly empty).</summary>
    public static string Next(Random random, int maxPieces = 6)
    {
        ArgumentNullException.ThrowIfNull(random);
        var text = new StringBuilder();
        var count = random.Next(0, maxPieces + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    /// <summary>A hostile string that is still a name the kernel accepts for an interface (retries until it is).</summary>
    public static string NextInterfaceName(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var name = Next(random, 5);
            if (Mnp.Policy.Input.InterfaceNames.IsValid(name))
            {
                return name;
            }
        }
    }
}
