using System.Diagnostics;
using System.Text.Json;
using Marketplace.Api.Hosting;
using StandardWebhooks;

namespace Marketplace.Api.Alerts;

/// <summary><c>Marketplace:Webhooks</c>: how deliveries are sent and retried.</summary>
public sealed class WebhookOptions
{
    /// <summary>Allows targets on loopback, private and link-local addresses (tests, a closed network). Off by default.</summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>The first retry's delay; each next one is four times longer, at most 8 hours: 5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h, 8 h, …</summary>
    public double FirstRetrySeconds { get; set; } = 5;
    /// <summary>How long a delivery is retried before it counts as failed (it can be redelivered on demand).</summary>
    public double RetryHours { get; set; } = 24;
    /// <summary>An endpoint that has failed for this long without one success is disabled until its owner enables it.</summary>
    public double DisableAfterHours { get; set; } = 120;
    /// <summary>How long a receiver has to answer.</summary>
    public double TimeoutSeconds { get; set; } = 10;
    /// <summary>How often due deliveries are looked for.</summary>
    public double PollSeconds { get; set; } = 0.25;

    /// <summary>The delay after the <paramref name="attempts"/>th failed attempt.</summary>
    public TimeSpan Delay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(8 * 3600, FirstRetrySeconds * Math.Pow(4, Math.Min(Math.Max(attempts - 1, 0), 20))));
}

/// <summary><c>Marketplace:Events</c>: how long the feed keeps events, and when a match is worth an alert.</summary>
public sealed class EventOptions
{
    /// <summary>Events (and their deliveries) older than this are removed; the feed documents it.</summary>
    public int RetentionDays { get; set; } = 30;
    /// <summary>A pair already alerted is alerted again only when its score rises by this much.</summary>
    public double MatchRiseMargin { get; set; } = 0.1;
    /// <summary>How many of a new listing's best matches among subscribers' listings are considered (as many as a match shows by default).</summary>
    public int MatchCandidates { get; set; } = 10;
    /// <summary>When daily subscriptions get their match.digest, as an hour of the day in UTC (0: 08:00 in Beijing, 03:00 in Moscow).</summary>
    public int DigestHourUtc { get; set; }
}

/// <summary>
/// Pushes events: gives committed events their place in the feed, claims due deliveries (replicas
/// share them: FOR UPDATE SKIP LOCKED), posts each signed per Standard Webhooks and records the
/// attempt. At least once: a crash between the post and the record sends it again, with the same
/// webhook-id. Writes the daily digests when they are due; removes events past their retention once an hour.
/// </summary>
public sealed partial class WebhookDispatcher(EventStore events, WebhookStore webhooks, WebhookOptions options, EventOptions retention,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    const int Batch = 32;
    readonly HttpClient _http = new(WebhookTargets.Handler(options.AllowPrivateTargets)) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
    DateTimeOffset _nextCleanup = DateTimeOffset.UtcNow;
    DateTimeOffset _nextDigest = DateTimeOffset.UtcNow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Marketplace-Webhooks/1.0");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PollSeconds));
        while (await timer.TickOrStopAsync(stoppingToken))
        {
            try
            {
                await events.SequenceAsync(stoppingToken);
                while (await webhooks.ClaimAsync(Batch, stoppingToken) is { Count: > 0 } due)
                    await Task.WhenAll(due.Select(d => SendAsync(d, stoppingToken)));
                if (DateTimeOffset.UtcNow >= _nextDigest)
                {
                    _nextDigest = DateTimeOffset.UtcNow.AddMinutes(1);
                    await events.DigestAsync(DateTimeOffset.UtcNow, retention.DigestHourUtc, stoppingToken);
                }
                if (DateTimeOffset.UtcNow >= _nextCleanup)
                {
                    _nextCleanup = DateTimeOffset.UtcNow.AddHours(1);
                    var removed = await events.ForgetAsync(DateTimeOffset.UtcNow.AddDays(-retention.RetentionDays), stoppingToken);
                    if (removed > 0) LogForgot(logger, removed, retention.RetentionDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database failed: the next tick tries again; claims run out and are taken again.
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>The body of a delivery: the event as the feed shows it.</summary>
    public static string Body(Outgoing delivery) => JsonSerializer.Serialize(new EventRow
    {
        Id = delivery.EventId, OrganizationId = delivery.OrganizationId, Type = delivery.EventType, At = delivery.At, Data = delivery.Data,
    }.ToResponse(), EventStore.Json);

    async Task SendAsync(Outgoing delivery, CancellationToken ct)
    {
        var body = Body(delivery);
        var timestamp = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(delivery.Secret).Sign(delivery.EventId, timestamp, body));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {options.TimeoutSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            error = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        }
        var delivered = error is null;
        var now = DateTimeOffset.UtcNow;
        var next = now + options.Delay(delivery.Attempts + 1);
        var retry = delivered || next > delivery.CreatedAt.AddHours(options.RetryHours) ? (DateTimeOffset?)null : next;
        await webhooks.RecordAsync(delivery, delivered, status, watch.ElapsedMilliseconds, error, retry,
            now.AddHours(-options.DisableAfterHours), CancellationToken.None);
        if (!delivered) LogAttemptFailed(logger, delivery.Id, delivery.WebhookId, delivery.Attempts + 1, error!);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: delivery {Delivery} to {Webhook} failed (attempt {Attempt}): {Error}")]
    static partial void LogAttemptFailed(ILogger logger, string delivery, string webhook, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhooks: the dispatcher's database work failed; retrying shortly")]
    static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Events: {Count} events older than {Days} days removed")]
    static partial void LogForgot(ILogger logger, int count, int days);
}
