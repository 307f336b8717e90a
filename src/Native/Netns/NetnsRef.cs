namespace Mnp.Native.Netns;

/// <summary>
/// A network namespace file: a bind mount such as <c>/var/run/netns/NAME</c> or <c>/proc/PID/ns/net</c>,
/// possibly under a host prefix when the agent sees the host's files at <c>/host</c>.
/// </summary>
public sealed record NetnsRef(string Path)
{
    public const string DefaultNamedRoot = "/var/run/netns";

    public static NetnsRef Named(string name, string root = DefaultNamedRoot) => new(System.IO.Path.Combine(root, name));

    public static NetnsRef OfProcess(int pid, string hostPrefix = "") => new($"{hostPrefix}/proc/{pid}/ns/net");

    /// <summary>Maps a host path reported by CRI (<c>/var/run/netns/cni-…</c>) onto the agent's view of the host.</summary>
    public static NetnsRef OnHost(string hostPath, string hostPrefix) =>
        new(hostPrefix.Length == 0 ? hostPath : hostPrefix.TrimEnd('/') + "/" + hostPath.TrimStart('/'));

    public override string ToString() => Path;
}
