namespace Mnp.Native.Rtnetlink;

/// <summary>RFC 2863 operational state (<c>IFLA_OPERSTATE</c>), as <c>ip link</c> prints it.</summary>
public enum LinkOperState
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
