using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Orchestrator.Testing;

/// <summary>
/// The Linux bridges the rig's engines use instead of docker0: named <c>ob</c> + the rig's 4 hex digits + the
/// engine's number, each on a free 172.30.X.0/24. The main engine's docker0 is never touched.
/// </summary>
internal static partial class RigBridges
{
    private const string SubnetPrefix = "172.30.";

    /// <summary>The bridge name for engine <paramref name="index"/> of the rig with tag <paramref name="rigTag"/>.</summary>
    public static string Name(string rigTag, int index) => string.Create(CultureInfo.InvariantCulture, $"ob{rigTag}{index}");

    /// <summary>Bridges that look like a rig's, with the tag of the rig each belongs to.</summary>
    public static async Task<IReadOnlyList<(string Bridge, string RigTag)>> ListAsync()
    {
        var output = await HostCommand.RunCheckedAsync("ip", "-o", "link", "show", "type", "bridge");
        var found = new List<(string, string)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "7: ob1a2b1: <BROADCAST,...> mtu 1500 ..."
            var fields = line.Split(':', 3);
            if (fields.Length == 3 && BridgeName().Match(fields[1].Trim()) is { Success: true } match)
            {
                found.Add((match.Value, match.Groups[1].Value));
            }
        }
        return found;
    }

    /// <summary>Third octets X, one per engine, such that no 172.30.X.0/24 overlaps an address or route the host has.</summary>
    private static async Task<IReadOnlyList<int>> ChooseSubnetsAsync(int count)
    {
        var taken = new List<(uint Network, int Length)>();
        var addresses = await HostCommand.RunCheckedAsync("ip", "-4", "-o", "addr", "show");
        var routes = await HostCommand.RunCheckedAsync("ip", "-4", "route", "show");
        foreach (var token in addresses.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Concat(routes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])))
        {
            if (ParseNetwork(token) is { } network && network.Length > 0)
            {
                taken.Add(network);
            }
        }

        var free = Enumerable.Range(1, 254)
            .Where(x => !taken.Any(t => Overlaps(t, (ToUInt(172, 30, x, 0), 24))))
            .OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))
            .Take(count)
            .ToArray();
        return free.Length == count
            ? free
            : throw new InvalidOperationException($"only {free.Length} of the {count} subnets 172.30.X.0/24 the rig needs are free");
    }

    public static string GatewayCidr(int octet) => $"{Gateway(octet)}/24";

    /// <summary>The bridge's own address in subnet <paramref name="octet"/>, which the host answers on.</summary>
    public static IPAddress Gateway(int octet) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{SubnetPrefix}{octet}.1"));

    private static async Task CreateAsync(string bridge, int octet)
    {
        await HostCommand.RunCheckedAsync("ip", "link", "add", bridge, "type", "bridge");
        await HostCommand.RunCheckedAsync("ip", "addr", "add", GatewayCidr(octet), "dev", bridge);
        await HostCommand.RunCheckedAsync("ip", "link", "set", bridge, "up");
    }

    /// <summary>
    /// Chooses a free subnet for each of the <paramref name="count"/> bridges of rig <paramref name="rigTag"/> and
    /// creates the bridges on them. Two rigs starting at the same moment (the test collections start theirs in
    /// parallel) may choose the same subnet before either bridge exists; both then see it shared, delete their
    /// bridges and choose again after a random pause, a few times.
    /// </summary>
    public static async Task<IReadOnlyList<int>> ClaimAsync(string rigTag, int count)
    {
        const int Attempts = 5;
        var bridges = Enumerable.Range(1, count).Select(i => Name(rigTag, i)).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            var octets = await ChooseSubnetsAsync(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await CreateAsync(bridges[i], octets[i]);
                }
                await EnsureSubnetsUnsharedAsync(bridges);
                return octets;
            }
            catch (InvalidOperationException)
            {
                foreach (var bridge in bridges)
                {
                    await DeleteAsync(bridge);
                }
                if (attempt == Attempts)
                {
                    throw;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(100, 1000)));
        }
    }

    /// <summary>
    /// Fails when another interface holds an address in the subnet of one of <paramref name="bridges"/>: another rig
    /// chose it at the same moment.
    /// </summary>
    private static async Task EnsureSubnetsUnsharedAsync(IEnumerable<string> bridges)
    {
        var owners = (await HostCommand.RunCheckedAsync("ip", "-4", "-o", "addr", "show"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 3 && fields[2] == "inet" && ParseNetwork(fields[3]) is not null)
            .Select(fields => (Interface: fields[1], Network: ParseNetwork(fields[3])!.Value))
            .ToArray();
        foreach (var bridge in bridges)
        {
            foreach (var own in owners.Where(o => o.Interface == bridge))
            {
                var sharing = owners.Where(o => o.Interface != bridge && Overlaps(o.Network, own.Network)).Select(o => o.Interface).ToArray();
                if (sharing.Length > 0)
                {
                    throw new InvalidOperationException($"the subnet of bridge {bridge} is also on {string.Join(", ", sharing)}");
                }
            }
        }
    }

    /// <summary>Deletes the bridge; one that is already gone is fine.</summary>
    public static async Task DeleteAsync(string bridge)
    {
        var result = await HostCommand.RunAsync("ip", "link", "del", bridge);
        if (result.ExitCode != 0 && await ExistsAsync(bridge))
        {
            throw new InvalidOperationException($"could not delete bridge {bridge}: {result}");
        }
    }

    public static async Task<bool> ExistsAsync(string bridge) =>
        (await HostCommand.RunAsync("ip", "link", "show", "dev", bridge)).ExitCode == 0;

    /// <summary>"a.b.c.d/n" or "a.b.c.d" (a /32) as a network, or null for anything else (such as "default").</summary>
    private static (uint Network, int Length)? ParseNetwork(string token)
    {
        var slash = token.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? token : token[..slash];
        var length = 32;
        if (slash >= 0 && !int.TryParse(token[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return null;
        }
        if (length > 32 || address.Count(c => c == '.') != 3 || !IPAddress.TryParse(address, out var ip))
        {
            return null;
        }
        var bytes = ip.GetAddressBytes();
        return (ToUInt(bytes[0], bytes[1], bytes[2], bytes[3]), length);
    }

    private static bool Overlaps((uint Network, int Length) a, (uint Network, int Length) b)
    {
        var shorter = Math.Min(a.Length, b.Length);
        var mask = shorter == 0 ? 0u : uint.MaxValue << (32 - shorter);
        return (a.Network & mask) == (b.Network & mask);
    }

    private static uint ToUInt(int a, int b, int c, int d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | (uint)d;

    [GeneratedRegex("^ob([0-9a-f]{4})[0-9]{1,2}$")]
    private static partial Regex BridgeName();
}
