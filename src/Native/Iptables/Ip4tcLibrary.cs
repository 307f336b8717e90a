using static Interop;

namespace Mnp.Native.Iptables;

/// <summary>libip4tc.so.2 (`iptc_*`).</summary>
internal sealed unsafe class Ip4tcLibrary : IIptcLibrary
{
    public static Ip4tcLibrary Instance { get; } = new();

    public IpFamily Family => IpFamily.V4;

    public string Prefix => "iptc";

    public string LibraryName => Libraries.Ip4tc;

    public nint Init(string table) => Iptc.Init(table);

    public void Free(nint handle) => Iptc.Free(handle);

    public byte* FirstChain(nint handle) => Iptc.FirstChain(handle);

    public byte* NextChain(nint handle) => Iptc.NextChain(handle);

    public byte* FirstRule(string chain, nint handle) => Iptc.FirstRule(chain, handle);

    public byte* NextRule(byte* previous, nint handle) => Iptc.NextRule(previous, handle);

    public byte* GetTarget(byte* entry, nint handle) => Iptc.GetTarget(entry, handle);

    public bool IsBuiltin(string chain, nint handle) => Iptc.Builtin(chain, handle) != 0;

    public int CreateChain(string chain, nint handle) => Iptc.CreateChain(chain, handle);

    public int DeleteChain(string chain, nint handle) => Iptc.DeleteChain(chain, handle);

    public int FlushEntries(string chain, nint handle) => Iptc.FlushEntries(chain, handle);

    public int AppendEntry(string chain, byte* entry, nint handle) => Iptc.AppendEntry(chain, entry, handle);

    public int InsertEntry(string chain, byte* entry, uint ruleNumber, nint handle) => Iptc.InsertEntry(chain, entry, ruleNumber, handle);

    public int DeleteNumEntry(string chain, uint ruleNumber, nint handle) => Iptc.DeleteNumEntry(chain, ruleNumber, handle);

    public int Commit(nint handle) => Iptc.Commit(handle);

    public byte* StrError(int errno) => Iptc.StrError(errno);
}
