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

public sealed record ReindexResponse(long Indexed, double Seconds);

/// <summary>What waits for the search engine: outbox rows not yet indexed.</summary>
/// <param name="Pending">Listing writes not yet in the engine.</param>
/// <param name="OldestEnqueuedAt">When the oldest of them was written.</param>
/// <param name="MaxAttempts">The most times one of them has failed.</param>
/// <param name="LastError">The engine's last refusal, if any.</param>
public sealed record IndexBacklog(long Pending, DateTimeOffset? OldestEnqueuedAt, int MaxAttempts, string? LastError);

public sealed record IndexStatusResponse(string Engine, long IndexedDocuments, long DatabaseListings, IndexBacklog Backlog);
