using Mnp.Native.Netns;

namespace Mnp.Agent.Cri;

/// <summary>A pod with a ready sandbox on this node, as CRI names it, and its network namespace file (under --host-prefix).</summary>
public sealed record CriPod(string Namespace, string Name, string Uid, NetnsRef Netns)
{
    public string Key => $"{Namespace}/{Name}";
}
