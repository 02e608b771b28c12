namespace Marketplace.Contracts;

/// <summary>The kinds of events · 事件类型 · типы событий an organization is alerted to.</summary>
public static class EventTypes
{
    /// <summary>A newly published or changed listing of the other kind matches one of the organization's published listings at or above its threshold.</summary>
    public const string MatchFound = "match.found";
    /// <summary>A reviewer published or rejected one of the organization's listings.</summary>
    public const string ListingReviewed = "listing.reviewed";
    /// <summary>One of the organization's published listings expires within the configured days.</summary>
    public const string ListingExpiring = "listing.expiring";
    /// <summary>Another organization is interested in one of the organization's listings.</summary>
    public const string InterestReceived = "interest.received";
    /// <summary>An interest the organization expressed was accepted or declined.</summary>
    public const string InterestAnswered = "interest.answered";
    /// <summary>An introduction the organization is a side of opened or moved.</summary>
    public const string IntroductionChanged = "introduction.changed";
    /// <summary>An agency recommended one of the organization's listings to another organization's.</summary>
    public const string RecommendationReceived = "recommendation.received";
    /// <summary>For a daily subscription: the day's match.found events in one, pushed where match.found is.</summary>
    public const string MatchDigest = "match.digest";

    /// <summary>Every event type, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        [MatchFound, ListingReviewed, ListingExpiring, InterestReceived, InterestAnswered, IntroductionChanged, RecommendationReceived];

    /// <summary>The type a subscription or a webhook names to take an event of this type: a digest goes where match.found goes.</summary>
    public static string ChosenAs(string type) => type == MatchDigest ? MatchFound : type;
}

/// <summary>How an organization receives match alerts.</summary>
public static class AlertDelivery
{
    /// <summary>Each event as it happens.</summary>
    public const string Immediate = "immediate";
    /// <summary>match.found recorded in the feed as it happens, pushed once a day as one match.digest; the other events as they happen.</summary>
    public const string Daily = "daily";
}

/// <summary>Where a webhook delivery stands.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    public const string Pending = "pending";
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";
    /// <summary>Every attempt failed until the retry window (24 hours by default) closed; it can be redelivered.</summary>
    public const string Failed = "failed";
}

/// <summary>Something that happened that an organization cares about · 事件 · событие; the same in the feed and in webhook deliveries.</summary>
/// <param name="Id">Stable id, <c>evt_…</c>: the <c>webhook-id</c> header of every delivery of it, for de-duplication.</param>
/// <param name="Type">One of the event types, e.g. <c>match.found</c>.</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="OrganizationId">The organization it concerns.</param>
/// <param name="Data">What a client needs without a second call; the members present depend on the type.</param>
public sealed record EventResponse(string Id, string Type, DateTimeOffset Timestamp, string OrganizationId, EventData Data);

/// <summary>The data of an event; each type fills the members it names.</summary>
/// <param name="Listing">match.found: the organization's listing that was matched; listing.reviewed, listing.expiring: the listing; interest.*: the listing the interest is in.</param>
/// <param name="Match">match.found: the new listing that matches it.</param>
/// <param name="Score">match.found: the match score, 0-1.</param>
/// <param name="Explanation">match.found: why they match.</param>
/// <param name="Review">listing.reviewed: the decision, its reason, the reviewer and when.</param>
/// <param name="ExpiresAt">listing.expiring: when the listing expires unless renewed.</param>
/// <param name="Interest">interest.received, interest.answered: the interest as stored.</param>
/// <param name="Introduction">introduction.changed: the introduction's id, status, sides and last move.</param>
/// <param name="Recommendation">recommendation.received: the recommendation as stored.</param>
/// <param name="Matches">match.digest: the match.found events of the day, oldest first.</param>
public sealed record EventData(
    ListingSummary? Listing = null,
    ListingSummary? Match = null,
    double? Score = null,
    MatchExplanation? Explanation = null,
    ListingReview? Review = null,
    DateTimeOffset? ExpiresAt = null,
    InterestResponse? Interest = null,
    IntroductionChange? Introduction = null,
    RecommendationResponse? Recommendation = null,
    IReadOnlyList<EventResponse>? Matches = null);

/// <summary>An introduction's move, as its sides are told.</summary>
/// <param name="Id">The introduction, <c>itr_…</c>.</param>
/// <param name="Status">Its status now: introduced, negotiating, agreement or closed.</param>
/// <param name="OwnerOrganizationId">The side whose listing the introduction is about.</param>
/// <param name="ListingId">That listing.</param>
/// <param name="OrganizationId">The other side.</param>
/// <param name="OwnListingId">The other side's listing, when it named one.</param>
/// <param name="By">The organization that made the move.</param>
/// <param name="Agreement">The agreement's terms, once agreed.</param>
/// <param name="Note">The reason or note given with the move.</param>
public sealed record IntroductionChange(string Id, string Status, string OwnerOrganizationId, string ListingId, string OrganizationId, string? OwnListingId,
    string By, AgreementTerms? Agreement, LocalizedText? Note);

/// <summary>The feed: events after a cursor, oldest first.</summary>
/// <param name="Items">At most <c>limit</c> events, oldest first.</param>
/// <param name="Next">Send it as <c>after</c> to read on; the same cursor again when there is nothing new yet.</param>
public sealed record EventFeed(IReadOnlyList<EventResponse> Items, string Next);

/// <summary>What an organization is alerted to · 订阅 · подписка. Omitted members keep their defaults.</summary>
public sealed record SubscriptionRequest
{
    /// <summary>Event types to record and push; default all of them.</summary>
    public IReadOnlyList<string>? Types { get; init; }
    /// <summary>Lowest match score (0-1) that makes a match.found; default 0.5.</summary>
    public double? Threshold { get; init; }
    /// <summary><c>immediate</c> (default): each event pushed as it happens; <c>daily</c>: match.found pushed once a day in one match.digest.</summary>
    public string? Delivery { get; init; }
}

/// <summary>An organization's subscription; the defaults when it never set one.</summary>
/// <param name="OrganizationId">The organization.</param>
/// <param name="Types">Event types recorded and pushed.</param>
/// <param name="Threshold">Lowest match score (0-1) that makes a match.found.</param>
/// <param name="Delivery"><c>immediate</c> or <c>daily</c> (match.found pushed once a day as one match.digest).</param>
/// <param name="Configured">False while the organization has the defaults; match.found is computed only for configured subscriptions that include it.</param>
/// <param name="Version">Changes with every change; the ETag.</param>
/// <param name="UpdatedAt">When it was last set; absent for the defaults.</param>
public sealed record SubscriptionResponse(string OrganizationId, IReadOnlyList<string> Types, double Threshold, string Delivery, bool Configured,
    long Version, DateTimeOffset? UpdatedAt);

/// <summary>A webhook endpoint · 回调地址 · вебхук to create or change.</summary>
public sealed record WebhookRequest
{
    /// <summary>The organization whose events it receives; omit it for the key's own. An agency names its client here.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>An absolute https (or http) URL, at most 2,000 characters, on a public address.</summary>
    public string? Url { get; init; }
    /// <summary>Event types it receives; omit for all.</summary>
    public IReadOnlyList<string>? Types { get; init; }
    /// <summary>A note for the owner, at most 200 characters.</summary>
    public string? Description { get; init; }
}

/// <summary>A webhook endpoint as stored. The secret is shown only when the endpoint is created and when it is rotated.</summary>
/// <param name="Id">The id, <c>whk_…</c>.</param>
/// <param name="OrganizationId">The organization whose events it receives.</param>
/// <param name="Url">Where deliveries are posted.</param>
/// <param name="Types">Event types it receives; absent: all.</param>
/// <param name="Description">The owner's note.</param>
/// <param name="Enabled">False once disabled (after failing for the configured time, or by its owner); enable it again with POST …/enable.</param>
/// <param name="DisabledReason"><c>failing</c> or <c>owner</c> when disabled.</param>
/// <param name="FailingSince">The first failure since the last successful delivery.</param>
/// <param name="Secret">The signing secret, <c>whsec_…</c>: only in the answer that created or rotated it.</param>
/// <param name="Version">Changes with every change; the ETag.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookResponse(string Id, string OrganizationId, string Url, IReadOnlyList<string>? Types, string? Description, bool Enabled,
    string? DisabledReason, DateTimeOffset? FailingSince, string? Secret, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One event sent (or to be sent) to one webhook.</summary>
/// <param name="Id">The id, <c>dlv_…</c>.</param>
/// <param name="WebhookId">The endpoint.</param>
/// <param name="EventId">The event: the <c>webhook-id</c> header.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Status">pending, delivered or failed.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastStatusCode">The HTTP status of the last attempt; absent when it got no answer.</param>
/// <param name="LastError">Why the last attempt failed, when it did.</param>
/// <param name="CreatedAt">When the delivery was queued.</param>
/// <param name="DeliveredAt">When the receiver accepted it.</param>
/// <param name="AttemptLog">Every attempt, oldest first (in the answer for one delivery).</param>
public sealed record DeliveryResponse(string Id, string WebhookId, string EventId, string EventType, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt,
    IReadOnlyList<DeliveryAttempt>? AttemptLog);

/// <summary>One attempt of a delivery.</summary>
/// <param name="Number">1 for the first.</param>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">The receiver's HTTP status; absent when there was no answer.</param>
/// <param name="LatencyMs">Milliseconds until the answer or the failure.</param>
/// <param name="Error">Why it failed: the status, a timeout, a refused connection, a refused address.</param>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? StatusCode, long LatencyMs, string? Error);
