global using System.Collections.Immutable;
global using System.Net;
global using Mnp.Policy.Netfilter;
