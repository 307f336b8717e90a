using System.Net;
using System.Net.Sockets;
using Mnp.Native.Netns;

namespace Mnp.Bench;

/// <summary>A listening socket made in a pod's namespace and a thread that accepts and closes every connection (the socket stays in that namespace; the thread need not).</summary>
internal sealed class ConnectionSink : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _acceptor;

    private ConnectionSink(Socket listener)
    {
        _listener = listener;
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "peer-rate-accept" };
        _acceptor.Start();
    }

    public static async Task<ConnectionSink> StartAsync(NetnsExecutor executor, NetnsRef netns, IPEndPoint endpoint)
    {
        var listener = await executor.RunAsync(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(endpoint);
            socket.Listen(4096);
            return socket;
        }).ConfigureAwait(false);
        return new ConnectionSink(listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _acceptor.Join(TimeSpan.FromSeconds(5));
    }

    private void Accept()
    {
        try
        {
            while (true)
            {
                using var accepted = _listener.Accept();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed: the run is over.
        }
    }
}
