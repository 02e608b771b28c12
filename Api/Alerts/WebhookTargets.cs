using System.Net;
using System.Net.Sockets;
using Marketplace.Api.Http;

namespace Marketplace.Api.Alerts;

/// <summary>
/// Where webhooks may be sent: public addresses only, unless <c>Marketplace:Webhooks:AllowPrivateTargets</c>.
/// Checked when an endpoint is registered (a clear problem) and again on every connection (a name
/// that later resolves to a private address is refused then), so a webhook cannot reach the
/// platform's own network.
/// </summary>
public static class WebhookTargets
{
    /// <summary>Loopback, private, shared, link-local, unspecified, multicast and reserved addresses, in IPv4 and IPv6.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] >= 64 && b[1] <= 127,            // 100.64.0.0/10, carrier-grade NAT
                169 => b[1] == 254,                          // link-local
                172 => b[1] >= 16 && b[1] <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0), // 192.168.0.0/16, 192.0.0.0/24
                198 => b[1] == 18 || b[1] == 19,             // 198.18.0.0/15, benchmarking
                >= 224 => true,                              // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal) return true;
        return false;
    }

    /// <summary>What is wrong with a webhook URL, in the caller's language; null when it may be used.</summary>
    public static async Task<string?> ProblemAsync(string url, bool allowPrivate, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo))
            return Messages.Get(Messages.WebAddress);
        if (allowPrivate) return null;
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal)) addresses = [literal];
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
            }
            catch (SocketException)
            {
                return Messages.Get(Messages.UnresolvedTarget, uri.Host);
            }
        }
        if (addresses.Length == 0) return Messages.Get(Messages.UnresolvedTarget, uri.Host);
        return addresses.FirstOrDefault(IsPrivate) is { } blocked ? Messages.Get(Messages.PrivateTarget, blocked) : null;
    }

    /// <summary>The handler deliveries are sent with: it connects only to public addresses unless private ones are allowed.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => allowPrivate || !IsPrivate(a)).ToList();
            if (allowed.Count == 0) throw new HttpRequestException($"refused: {host} resolves to a private address");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
