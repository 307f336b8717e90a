namespace Mnp.Agent.Observability.Events;

/// <summary>The Event reasons the agent posts.</summary>
public static class EventReasons
{
    public const string InvalidPolicy = "InvalidPolicy";
    public const string MissingPolicyFor = "MissingPolicyFor";
    public const string InvalidNetworkStatus = "InvalidNetworkStatus";
    public const string PolicyApplyFailed = "PolicyApplyFailed";
}
