namespace Marketplace.Contracts;

public sealed record OrganizationRequest
{
    public LocalizedText? Name { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; init; }
}

public sealed record OrganizationResponse(string Id, LocalizedText Name, string? Country, DateTimeOffset CreatedAt);

public sealed record ApiKeyRequest
{
    public string? OrganizationId { get; init; }
    /// <summary><c>member</c>, <c>agency</c> or <c>admin</c>.</summary>
    public string? Role { get; init; }
    /// <summary>A label to recognise the key by, e.g. "ERP sync".</summary>
    public string? Name { get; init; }
}

/// <summary>An API key as listed: never the secret itself, only its first characters.</summary>
public sealed record ApiKeyResponse(
    string Id, string OrganizationId, string Role, string? Name, string Prefix,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Returned once, when a key is created: <c>key</c> is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);

/// <summary>A rebuild of the search index from the database.</summary>
/// <param name="Indexed">Listings the new index holds.</param>
/// <param name="SetAside">Listings it could not take (each retried alone, and parked if refused again).</param>
/// <param name="Seconds">How long the rebuild took.</param>
public sealed record ReindexResponse(long Indexed, long SetAside, double Seconds);

/// <summary>What waits for the search engine: outbox rows not yet indexed.</summary>
/// <param name="Pending">Listing writes not yet in the engine (parked ones aside).</param>
/// <param name="OldestEnqueuedAt">When the oldest of them was written.</param>
/// <param name="MaxAttempts">The most times one of them has failed.</param>
/// <param name="LastError">The engine's last refusal, if any.</param>
/// <param name="Parked">Listings the engine kept refusing, set aside until an operator retries them.</param>
public sealed record IndexBacklog(long Pending, DateTimeOffset? OldestEnqueuedAt, int MaxAttempts, string? LastError, long Parked);

/// <summary>A listing the engine refused again and again: it waits for an operator and holds back nothing else.</summary>
public sealed record ParkedListing(string ListingId, long Version, int Refusals, string? LastError, DateTimeOffset ParkedAt);

/// <summary>The last or current rebuild of the index on this replica.</summary>
public sealed record RebuildStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long? Indexed, string? Error);

/// <param name="Engine"><c>lucene</c> or <c>elasticsearch</c>.</param>
/// <param name="IndexedDocuments">Documents in the index; null when the engine does not answer (see <c>EngineError</c>).</param>
/// <param name="EngineError">Why the engine did not answer.</param>
/// <param name="DatabaseListings">Listings in the database, the source of truth.</param>
/// <param name="Parked">The first 100 parked listings.</param>
/// <param name="GlossaryRevision">The glossary revision this replica extracts concepts with.</param>
/// <param name="GlossaryChangesWaiting">Glossary changes whose listings are not yet queued for re-indexing (the engine was away).</param>
public sealed record IndexStatusResponse(
    string Engine, long? IndexedDocuments, string? EngineError, long DatabaseListings, IndexBacklog Backlog,
    IReadOnlyList<ParkedListing> Parked, RebuildStatus Rebuild, long GlossaryRevision, long GlossaryChangesWaiting);

/// <summary>Parked listings to retry: those named, or all of them when none is.</summary>
public sealed record RetryParkedRequest
{
    public IReadOnlyList<string>? ListingIds { get; init; }
}

/// <param name="Requeued">Listings taken out of the parking and due again now.</param>
public sealed record RetryParkedResponse(int Requeued);
