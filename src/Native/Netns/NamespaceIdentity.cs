namespace Mnp.Native.Netns;

/// <summary>A namespace's identity: the device and inode of its nsfs file.</summary>
public readonly record struct NamespaceIdentity(ulong Device, ulong Inode)
{
    public override string ToString() => $"net:[{Inode}]";
}
