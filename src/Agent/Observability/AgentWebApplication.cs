using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Observability;

/// <summary>
/// The one HTTP listener and the log format every form of the agent shares (the running agent and the coexistence
/// hold): a slim Kestrel host on <c>--listen</c>, JSON console logs with scopes and UTC millisecond timestamps, and
/// the framework's own logs at Warning and above.
/// </summary>
public static class AgentWebApplication
{
    public static WebApplicationBuilder CreateBuilder(IPEndPoint listen)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen));
        return builder;
    }
}
