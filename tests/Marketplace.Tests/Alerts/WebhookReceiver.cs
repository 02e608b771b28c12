using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Marketplace.Tests.Alerts;

/// <summary>One request a receiver got: the Standard Webhooks headers and the body as sent.</summary>
public sealed record Received(string Id, string Timestamp, string Signature, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver on loopback, as a customer would run one: it records every delivery and
/// answers with the status <see cref="Answer"/> gives (200 by default).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public Func<int> Answer { get; set; } = () => 200;
    public string Url { get; }

    WebhookReceiver(WebApplication app, string url) => (_app, Url) = (app, url);

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            receiver!.Requests.Enqueue(new Received(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body, DateTimeOffset.UtcNow));
            return Results.StatusCode(receiver.Answer());
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        receiver = new WebhookReceiver(app, $"http://127.0.0.1:{address.Port}/hook");
        return receiver;
    }

    public int Port => new Uri(Url).Port;

    /// <summary>
    /// The Standard Webhooks check, written out as a receiver would: HMAC-SHA256 over
    /// "{id}.{timestamp}.{body}" with the base64 key after "whsec_", compared in constant time with
    /// each "v1," signature; and a timestamp within five minutes.
    /// </summary>
    public static bool Verify(string secret, Received request)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.{request.Body}"))));
        var fresh = long.TryParse(request.Timestamp, out var seconds)
                    && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) <= 300;
        return fresh && request.Signature.Split(' ').Any(s =>
            s.StartsWith("v1,", StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), expected));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
