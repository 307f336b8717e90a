using System.Text;

namespace Mnp.Policy.Input;

/// <summary>
/// Which interface names we accept: exactly those the kernel accepts for a link (<c>dev_valid_name</c>):
/// 1..15 bytes of UTF-8, not <c>.</c> or <c>..</c>, no <c>/</c>, <c>:</c>, NUL or whitespace (Unicode
/// whitespace too, as CNI refuses it). A name rejected here names no interface that can exist, so dropping
/// its entry leaves nothing ungoverned. Every other name, including ones iptables treats specially (a
/// trailing <c>+</c>, quotes, <c>!</c>), can name a real interface, so it is accepted, matched exactly in the
/// kernel and escaped wherever it reaches text.
/// </summary>
public static class InterfaceNames
{
    /// <summary>IFNAMSIZ minus the terminating NUL.</summary>
    public const int MaxBytes = 15;

    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Null when <paramref name="name"/> is a valid interface name, else why not (one line, no quoting of the name).</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "an interface name must not be empty";
        }

        if (name is "." or "..")
        {
            return "an interface name must not be \".\" or \"..\"";
        }

        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return "an interface name must be valid Unicode";
            }

            if (rune.Value is '/' or ':' or 0 || Rune.IsWhiteSpace(rune))
            {
                return "an interface name must not contain '/', ':', NUL or whitespace";
            }

            rest = rest[used..];
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MaxBytes ? $"an interface name is at most {MaxBytes} bytes of UTF-8, not {bytes}" : null;
    }
}
