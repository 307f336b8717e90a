namespace Mnp.Policy.Rules;

public enum Direction
{
    Ingress,
    Egress,
}
