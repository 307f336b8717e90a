namespace Mnp.Native.Iptables;

/// <summary>The libiptc calls of one family (libip4tc <c>iptc_*</c> or libip6tc <c>ip6tc_*</c>); raw results, errno via the last P/Invoke error.</summary>
internal unsafe interface IIptcLibrary
{
    IpFamily Family { get; }

    string Prefix { get; }

    /// <summary>The library's SONAME, for errors when it cannot be loaded.</summary>
    string LibraryName { get; }

    nint Init(string table);

    void Free(nint handle);

    byte* FirstChain(nint handle);

    byte* NextChain(nint handle);

    byte* FirstRule(string chain, nint handle);

    byte* NextRule(byte* previous, nint handle);

    byte* GetTarget(byte* entry, nint handle);

    bool IsBuiltin(string chain, nint handle);

    int CreateChain(string chain, nint handle);

    int DeleteChain(string chain, nint handle);

    int FlushEntries(string chain, nint handle);

    int AppendEntry(string chain, byte* entry, nint handle);

    int InsertEntry(string chain, byte* entry, uint ruleNumber, nint handle);

    int DeleteNumEntry(string chain, uint ruleNumber, nint handle);

    int Commit(nint handle);

    byte* StrError(int errno);
}
