using System.Runtime.CompilerServices;

namespace Mnp.Native.Iptables;

/// <summary>Prefix lengths as network-order byte masks and back.</summary>
internal static class AddressMask
{
    public static byte[] FromPrefix(int prefixLength, int byteLength)
    {
        var mask = new byte[byteLength];
        Write(prefixLength, mask);
        return mask;
    }

    /// <summary>Writes the mask of <paramref name="prefixLength"/> bits over all of <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(int prefixLength, Span<byte> mask)
    {
        for (var i = 0; i < mask.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - (i * 8), 0, 8);
            mask[i] = (byte)(0xFF00 >> bits);
        }
    }

    /// <summary>The prefix length of a contiguous mask, or -1 when the mask has holes.</summary>
    public static int ToPrefix(ReadOnlySpan<byte> mask)
    {
        var prefix = 0;
        var i = 0;
        while (i < mask.Length && mask[i] == 0xFF)
        {
            prefix += 8;
            i++;
        }

        if (i < mask.Length)
        {
            var b = mask[i];
            var ones = System.Numerics.BitOperations.LeadingZeroCount((uint)(byte)~b) - 24;
            if ((byte)(0xFF00 >> ones) != b)
            {
                return -1;
            }

            prefix += ones;
            for (i++; i < mask.Length; i++)
            {
                if (mask[i] != 0)
                {
                    return -1;
                }
            }
        }

        return prefix;
    }
}
