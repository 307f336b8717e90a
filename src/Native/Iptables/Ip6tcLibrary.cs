using static Interop;

namespace Mnp.Native.Iptables;

/// <summary>libip6tc.so.2 (`ip6tc_*`).</summary>
internal sealed unsafe class Ip6tcLibrary : IIptcLibrary
{
    public static Ip6tcLibrary Instance { get; } = new();

    public IpFamily Family => IpFamily.V6;

    public string Prefix => "ip6tc";

    public string LibraryName => Libraries.Ip6tc;

    public nint Init(string table) => Ip6tc.Init(table);

    public void Free(nint handle) => Ip6tc.Free(handle);

    public byte* FirstChain(nint handle) => Ip6tc.FirstChain(handle);

    public byte* NextChain(nint handle) => Ip6tc.NextChain(handle);

    public byte* FirstRule(string chain, nint handle) => Ip6tc.FirstRule(chain, handle);

    public byte* NextRule(byte* previous, nint handle) => Ip6tc.NextRule(previous, handle);

    public byte* GetTarget(byte* entry, nint handle) => Ip6tc.GetTarget(entry, handle);

    public bool IsBuiltin(string chain, nint handle) => Ip6tc.Builtin(chain, handle) != 0;

    public int CreateChain(string chain, nint handle) => Ip6tc.CreateChain(chain, handle);

    public int DeleteChain(string chain, nint handle) => Ip6tc.DeleteChain(chain, handle);

    public int FlushEntries(string chain, nint handle) => Ip6tc.FlushEntries(chain, handle);

    public int AppendEntry(string chain, byte* entry, nint handle) => Ip6tc.AppendEntry(chain, entry, handle);

    public int InsertEntry(string chain, byte* entry, uint ruleNumber, nint handle) => Ip6tc.InsertEntry(chain, entry, ruleNumber, handle);

    public int DeleteNumEntry(string chain, uint ruleNumber, nint handle) => Ip6tc.DeleteNumEntry(chain, ruleNumber, handle);

    public int Commit(nint handle) => Ip6tc.Commit(handle);

    public byte* StrError(int errno) => Ip6tc.StrError(errno);
}
