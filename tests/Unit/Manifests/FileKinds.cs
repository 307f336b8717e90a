using System.Net.Sockets;
using System.Text;

namespace Mnp.Tests.Unit.Manifests;

/// <summary>Makes the kinds of file a <c>-f</c> walk may meet: FIFOs, sockets, links to devices, loops, dangling links.</summary>
internal static class FileKinds
{
    public static unsafe void Fifo(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            if (Tmds.Linux.LibC.mkfifo(p, 0b110_100_100) != 0)
            {
                throw new IOException($"mkfifo {path}: errno {Tmds.Linux.LibC.errno}");
            }
        }
    }

    /// <summary>A bound Unix socket's file; it lasts while the socket does (disposing it removes the file).</summary>
    public static IDisposable Socket(string path)
    {
        var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    public static void Link(string path, string target) => File.CreateSymbolicLink(path, target);
}
