using System.Net;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>The API answered with an error (or an ERROR watch event); <see cref="Status"/> is the HTTP or Status code.</summary>
public sealed class KubeApiException(HttpStatusCode status, string message) : Exception(message)
{
    public KubeApiException()
        : this(HttpStatusCode.InternalServerError, "API error")
    {
    }

    public KubeApiException(string message)
        : this(HttpStatusCode.InternalServerError, message)
    {
    }

    public HttpStatusCode Status { get; } = status;

    /// <summary>The resourceVersion is too old: list again.</summary>
    public bool IsGone => Status == HttpStatusCode.Gone;
}
