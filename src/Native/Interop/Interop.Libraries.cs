/// <summary>Native library names (SONAMEs: the unversioned links exist only with the -dev packages).</summary>
internal static partial class Interop
{
    internal static class Libraries
    {
        internal const string Libc = "libc";
        internal const string Ip4tc = "libip4tc.so.2";
        internal const string Ip6tc = "libip6tc.so.2";
    }
}
