using System.Security.Cryptography;

namespace Mnp.Agent.Sync;

/// <summary>
/// Bytes written in small pieces into a SHA-256, through one small buffer that is hashed whenever it fills: a pod's
/// canonical rules can be hundreds of kilobytes, and one buffer of that size per pod would be large-object garbage.
/// <see cref="Finish"/> resets it for the next hash, so one writer serves every hash of a thread.
/// </summary>
internal sealed class HashingWriter : IDisposable
{
    /// <summary>The most <see cref="GetSpan"/> may be asked for.</summary>
    public const int MaxSpan = 1024;

    private const int Size = 8192;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[Size];
    private int _used;

    /// <summary>Room for <paramref name="count"/> bytes (at most <see cref="MaxSpan"/>); <see cref="Advance"/> says how many were written.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_used + count > Size)
        {
            Flush();
        }

        return _buffer.AsSpan(_used);
    }

    public void Advance(int count) => _used += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Size - _used)
        {
            Flush();
            if (bytes.Length > Size)
            {
                _hash.AppendData(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    public void Finish(Span<byte> destination)
    {
        Flush();
        _hash.GetHashAndReset(destination);
    }

    public void Dispose() => _hash.Dispose();

    private void Flush()
    {
        _hash.AppendData(_buffer, 0, _used);
        _used = 0;
    }
}
