using System.Net;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// The silo's <c>Orleans</c> section: the cluster it joins and where it is reached (docs/CONTRACT.md, Silo configuration).
/// <c>Orleans:Membership</c> is Orleans' own <c>ClusterMembershipOptions</c>. Checked by <see cref="SiloOrleansOptionsValidator"/>.
/// </summary>
public sealed class SiloOrleansOptions
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "orchestrator";

    public string ServiceId { get; set; } = "orchestrator";

    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary><see cref="AdvertisedIP"/>, once validated.</summary>
    public IPAddress AdvertisedAddress => IPAddress.Parse(AdvertisedIP);
}
