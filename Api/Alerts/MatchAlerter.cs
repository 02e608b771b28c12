using Marketplace.Api.Hosting;
using Marketplace.Api.Listings;
using Marketplace.Api.Matches;
using Marketplace.Contracts;
using Marketplace.Search;

namespace Marketplace.Api.Alerts;

/// <summary>
/// match.found, off the request path: each published listing the engine took is matched in reverse —
/// it is the query, the published listings of the other kind of organizations subscribed to
/// match.found are the candidates — and each candidate at or above its organization's threshold is
/// alerted once per pair, again only when the score rises by <see cref="EventOptions.MatchRiseMargin"/>.
/// The event carries both listings' summaries, the score and why they match. While a bulk import runs
/// on this replica, alerts give way to it (a batch a second) and catch up when it is done.
/// </summary>
public sealed partial class MatchAlerter(MatchOutbox outbox, ListingStore listings, ListingMatcher matcher, EventOptions options, WebhookOptions timing,
    Indexing.ListingIndexer indexer, ILogger<MatchAlerter> logger) : BackgroundService
{
    const int Batch = 16;
    // While a bulk import runs on this replica its writes come first: one batch of alerts a second, the rest after it.
    static readonly TimeSpan GiveWayFor = TimeSpan.FromSeconds(2);
    static readonly TimeSpan GiveWayPace = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(timing.PollSeconds));
        while (await timer.TickOrStopAsync(stoppingToken))
        {
            try
            {
                while (await outbox.ClaimAsync(Batch, stoppingToken) is { Count: > 0 } claimed)
                {
                    await AlertAsync(claimed, stoppingToken);
                    if (DateTimeOffset.UtcNow - indexer.LastBulkWrite < GiveWayFor) await Task.Delay(GiveWayPace, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database or the engine failed: claims run out and the rows are taken again.
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>Matches the claimed listings and records their alerts; the number of alerts.</summary>
    public async Task<int> AlertAsync(IReadOnlyList<MatchOutbox.Claimed> claimed, CancellationToken ct)
    {
        // Per target kind, the subscribers that can be alerted (MatchOutbox.WatchingAsync).
        var watching = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var done = new List<(MatchOutbox.Claimed, IReadOnlyList<(NewEvent, string, double)>)>();
        foreach (var row in claimed)
        {
            var alerts = new List<(NewEvent, string, double)>();
            done.Add((row, alerts));
            // A listing no longer published, or changed since (its newer version is queued), alerts no one now.
            if (await listings.FindAsync(row.ListingId, ct) is not { Status: ListingStatus.Published } listing || listing.Version != row.Version) continue;
            var kind = listing.Kind == ListingKind.Offer.Name ? ListingKind.Offer : ListingKind.Need;
            var target = kind == ListingKind.Offer ? ListingKind.Need : ListingKind.Offer;
            if (!watching.TryGetValue(target.Name, out var thresholds))
                watching[target.Name] = thresholds = await outbox.WatchingAsync(target.Name, ct);
            var others = thresholds.Keys.Where(o => o != listing.OrganizationId).ToList();
            if (others.Count == 0) continue;
            var ranking = await matcher.RankAsync(listing.Content, kind, new ListingFilter { Organizations = others }, options.MatchCandidates, ct);
            // The filter admits only these organizations; a candidate of another (an index behind the database) alerts no one.
            var worth = ranking.Items.Select((m, i) => (Match: m, Position: i))
                .Where(x => thresholds.TryGetValue(x.Match.Listing.OrganizationId, out var threshold) && x.Match.Score >= threshold).ToList();
            if (worth.Count == 0) continue;
            var before = await outbox.AlertedAsync(listing.Id, worth.Select(x => x.Match.Listing.Id).ToList(), ct);
            var summary = listing.ToSummary();
            // Explained only when alerted: most new listings alert no one.
            foreach (var (m, position) in worth)
                if (!before.TryGetValue(m.Listing.Id, out var score) || m.Score >= score + options.MatchRiseMargin)
                    alerts.Add((new NewEvent(m.Listing.OrganizationId, EventTypes.MatchFound,
                            new EventData(Listing: m.Listing, Match: summary, Score: m.Score, Explanation: ranking.Explain(position))),
                        m.Listing.Id, m.Score));
        }
        await outbox.CompleteAsync(done, ct);
        return done.Sum(d => d.Item2.Count);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Match alerts: matching the waiting listings failed; retrying shortly")]
    static partial void LogFailed(ILogger logger, Exception exception);
}
