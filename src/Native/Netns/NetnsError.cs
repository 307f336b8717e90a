namespace Mnp.Native.Netns;

/// <summary>Why a namespace could not be entered.</summary>
public enum NetnsError
{
    /// <summary>The file does not exist: the pod and its namespace are gone.</summary>
    NotFound,

    /// <summary>The file exists but is not a network namespace (for example a bind mount that did not propagate).</summary>
    NotANamespace,

    /// <summary>Not allowed to open or enter it.</summary>
    PermissionDenied,

    /// <summary>Any other errno.</summary>
    Other,
}
