using System.Buffers.Binary;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mnp.Native.Iptables;

/// <summary>
/// Reads one table of the calling thread's namespace with the two getsockopt calls <c>iptc_init</c> makes
/// (<c>SO_GET_INFO</c>, then <c>SO_GET_ENTRIES</c> of the size it gave) on a raw socket made for the purpose, without
/// libiptc: no handle, no per-rule parse, no lock (docs/native.md §7, "the read-only compare"). Anything unexpected
/// gives null, and the caller takes the libiptc path, which reports errors properly. The buffer is reused from read
/// to read, so one reader serves one thread at a time (callers hold <see cref="IptcLock.Gate"/>).
/// </summary>
internal sealed unsafe class TableBlobReader(IpFamily family)
{
    /// <summary>A table whose size changes between the two calls makes the second fail with EAGAIN; libiptc retries too.</summary>
    private const int Attempts = 3;

    private byte[] _buffer = new byte[16 * 1024];

    public TableBlob? Read(string table)
    {
        var level = family == IpFamily.V4 ? TableBlobLayout.LevelV4 : TableBlobLayout.LevelV6;
        var domain = family == IpFamily.V4 ? AF_INET : AF_INET6;
        using var socket = FileDescriptors.Socket(domain, SOCK_RAW, IPPROTO_RAW, out _);
        if (socket.IsInvalid)
        {
            return null;
        }

        var fd = FileDescriptors.Number(socket);
        Span<byte> info = stackalloc byte[TableBlobLayout.InfoSize];
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            info.Clear();
            if (!WriteName(info, table) || !Get(fd, level, TableBlobLayout.GetInfo, info, out var infoLength) || infoLength != TableBlobLayout.InfoSize)
            {
                return null;
            }

            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(info[TableBlobLayout.InfoSizeField..]);
            var total = TableBlobLayout.EntriesHeaderSize + size;
            if (size <= 0 || total < 0)
            {
                return null;
            }

            if (_buffer.Length < total)
            {
                _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
            }

            var request = _buffer.AsSpan(0, total);
            request[..TableBlobLayout.EntriesHeaderSize].Clear();
            WriteName(request, table);
            BinaryPrimitives.WriteUInt32LittleEndian(request[TableBlobLayout.EntriesSizeField..], (uint)size);
            if (Get(fd, level, TableBlobLayout.GetEntries, request, out var length))
            {
                return length == total ? Blob(info, size) : null;
            }

            if (errno != EAGAIN)
            {
                return null;
            }
        }

        return null;
    }

    private TableBlob Blob(ReadOnlySpan<byte> info, int size)
    {
        var hooks = new int[TableBlobLayout.Hooks];
        var underflows = new int[TableBlobLayout.Hooks];
        for (var h = 0; h < TableBlobLayout.Hooks; h++)
        {
            hooks[h] = (int)BinaryPrimitives.ReadUInt32LittleEndian(info[(TableBlobLayout.InfoHookEntry + (4 * h))..]);
            underflows[h] = (int)BinaryPrimitives.ReadUInt32LittleEndian(info[(TableBlobLayout.InfoUnderflow + (4 * h))..]);
        }

        return new TableBlob(_buffer, size, BinaryPrimitives.ReadUInt32LittleEndian(info[TableBlobLayout.InfoValidHooks..]), hooks, underflows);
    }

    private static bool WriteName(Span<byte> destination, string table) =>
        Encoding.UTF8.TryGetBytes(table, destination[..(TableBlobLayout.TableNameLength - 1)], out _);

    private static bool Get(int fd, int level, int option, Span<byte> value, out int length)
    {
        var optlen = (socklen_t)value.Length;
        fixed (byte* p = value)
        {
            var result = getsockopt(fd, level, option, p, &optlen);
            length = (int)optlen;
            return result == 0;
        }
    }
}
