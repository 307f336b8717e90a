global using System.Collections.Immutable;
global using System.Net;
global using Mnp.Native;
global using Mnp.Native.Backends;
global using Mnp.Native.Iptables;
global using Mnp.Native.Netns;
global using Mnp.Policy.Netfilter;
global using Xunit;

// Tests here enumerate every thread of the process and enter namespaces: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
