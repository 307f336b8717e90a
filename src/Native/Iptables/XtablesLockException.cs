namespace Mnp.Native.Iptables;

/// <summary>The xtables lock stayed held by another process: nothing was written (one line naming the file).</summary>
public sealed class XtablesLockException(string message) : MnpException(message);
