namespace Mnp.Policy.Netfilter;

public enum IpFamily
{
    V4,
    V6,
}
