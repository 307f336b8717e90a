using System.CommandLine;

namespace Mnp.Agent;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("mnp: MultiNetworkPolicy for Multus secondary interfaces");
        return root.Parse(args).Invoke();
    }
}
