using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Marketplace.Api.Http;

/// <summary>
/// <c>Marketplace:RateLimits</c>: requests per second with a burst, per API key for callers with a
/// valid key and per client address for anonymous ones, and a stricter count of unknown or revoked
/// keys per address (a key guesser gets 429 long before it gets anywhere). 0 switches a limit off.
/// Limits hold per replica. Behind a proxy, set <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> so
/// that the address is the client's, not the proxy's.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>An integration syncing listings one by one: 50 a second sustained, bursts of 200.</summary>
    public int PerKeyPerSecond { get; set; } = 50;
    public int PerKeyBurst { get; set; } = 200;
    /// <summary>A person or a page reading listings and matches: 10 a second sustained, bursts of 100.</summary>
    public int AnonymousPerSecond { get; set; } = 10;
    public int AnonymousBurst { get; set; } = 100;
    /// <summary>Requests with an unknown or revoked key, per address and minute.</summary>
    public int FailedKeysPerMinute { get; set; } = 20;
}

public static class RateLimits
{
    public static IServiceCollection AddMarketplaceRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(o =>
        {
            o.OnRejected = RejectAsync;
            // Unknown keys first: when their window is shut, the answer's Retry-After is that window's, not the bucket's second.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    Auth.ApiKeyAuthenticationHandler.SentInvalidKey(http) && limits.FailedKeysPerMinute > 0
                        ? RateLimitPartition.GetFixedWindowLimiter("bad-key:" + Address(http), _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = limits.FailedKeysPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                        })
                        : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                {
                    var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
                    return key is not null
                        ? Bucket("key:" + key, limits.PerKeyPerSecond, limits.PerKeyBurst)
                        : Bucket("ip:" + Address(http), limits.AnonymousPerSecond, limits.AnonymousBurst);
                }));
        });

    /// <summary>
    /// The client's address; for IPv6 its /64 network, since one subscriber usually holds a whole /64
    /// and could otherwise take a fresh allowance per address.
    /// </summary>
    static string Address(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        perSecond <= 0
            ? RateLimitPartition.GetNoLimiter(partition)
            : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(perSecond, burst),
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    /// <summary>429 as problem+json in the caller's language, with <c>Retry-After</c> in whole seconds.</summary>
    static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, new()
        {
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
            Status = StatusCodes.Status429TooManyRequests,
            Title = Messages.TitleFor(StatusCodes.Status429TooManyRequests),
            Detail = Messages.Get(Messages.TooManyRequests, seconds),
        });
    }
}
