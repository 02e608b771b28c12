namespace Marketplace.Contracts;

/// <summary>
/// An organization · 机构 · организация (an enterprise, institute, university, agency or government body)
/// that owns listings and API keys, with its profile. Admins create organizations; the organization
/// itself, the agencies that serve it and admins change the profile (PUT replaces it whole).
/// </summary>
public sealed record OrganizationRequest
{
    /// <summary>The organization's name in at least one of <c>zh</c>, <c>ru</c> and <c>en</c>, each at most 200 characters.</summary>
    public LocalizedText? Name { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code, upper case, e.g. CN or RU; optional.</summary>
    public string? Country { get; init; }
    /// <summary>Type · 机构类型 · тип организации: <c>enterprise</c>, <c>research-institute</c>, <c>university</c>, <c>agency</c> or <c>government</c>; optional. Only an <c>agency</c> can be given clients.</summary>
    public string? Type { get; init; }
    /// <summary>Region · 地区 · регион, e.g. "山东省" or "Новосибирская область"; optional, at most 200 characters.</summary>
    public string? Region { get; init; }
    /// <summary>Website · 网站 · сайт, an absolute http(s) address; optional.</summary>
    public string? Website { get; init; }
    /// <summary>The languages the organization works in · 工作语言 · рабочие языки: <c>zh</c>, <c>ru</c>, <c>en</c>; optional.</summary>
    public IReadOnlyList<string>? Languages { get; init; }
    /// <summary>Who to write to · 联系人 · контактное лицо; shown only to the organization, the agencies that serve it and admins.</summary>
    public OrganizationContact? Contact { get; init; }
}

/// <summary>An organization's contact · 联系方式 · контакты: at least an e-mail or a phone.</summary>
public sealed record OrganizationContact
{
    /// <summary>The person to ask for, e.g. "王伟" or "Иванов Сергей Петрович"; at most 200 characters.</summary>
    public string? Person { get; init; }
    /// <summary>An e-mail address, e.g. <c>tt@example.cn</c>.</summary>
    public string? Email { get; init; }
    /// <summary>A phone number in international form, e.g. <c>+86 531 8888 0000</c> or <c>+7 383 000-00-00</c>.</summary>
    public string? Phone { get; init; }
}

/// <summary>An organization · 机构 · организация as stored, with its profile.</summary>
/// <param name="Id">The id the server assigned, <c>org_…</c>; the built-in platform organization is <c>platform</c>.</param>
/// <param name="Name">The organization's name in the languages it was given in.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code, e.g. CN or RU; absent when none was given.</param>
/// <param name="CreatedAt">When the organization was created, UTC, ISO 8601.</param>
/// <param name="Type"><c>enterprise</c>, <c>research-institute</c>, <c>university</c>, <c>agency</c> or <c>government</c>; absent when none was given.</param>
/// <param name="Region">The region as given; absent when none was given.</param>
/// <param name="Website">The website as given; absent when none was given.</param>
/// <param name="Languages">The working languages as given (<c>zh</c>, <c>ru</c>, <c>en</c>); empty when none were given.</param>
/// <param name="Contact">The contact; present only for the organization itself, the agencies that serve it and admins.</param>
/// <param name="Version">The profile's version, 1 when created; the ETag is this number quoted.</param>
/// <param name="UpdatedAt">When the profile last changed, UTC, ISO 8601.</param>
public sealed record OrganizationResponse(
    string Id, LocalizedText Name, string? Country, DateTimeOffset CreatedAt, string? Type, string? Region, string? Website,
    IReadOnlyList<string> Languages, OrganizationContact? Contact, long Version, DateTimeOffset UpdatedAt);

/// <summary>A new API key · API 密钥 · API-ключ for an organization; admin keys only.</summary>
public sealed record ApiKeyRequest
{
    /// <summary>The id of the organization · 机构 · организация the key acts for; it must exist.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>Role · 角色 · роль: <c>member</c> (writes its own organization's listings), <c>agency</c> (acts for the organizations an admin made its clients; match queries, glossary and lexicon) or <c>admin</c> (everything, keys and organizations).</summary>
    public string? Role { get; init; }
    /// <summary>A label to recognise the key by, e.g. "ERP sync"; optional, at most 100 characters.</summary>
    public string? Name { get; init; }
}

/// <summary>An API key as listed: never the secret itself, only its first characters.</summary>
/// <param name="Id">The key's id, <c>key_…</c> (not the key itself); DELETE /api/v1/api-keys/{id} revokes it.</param>
/// <param name="OrganizationId">The id of the organization · 机构 · организация the key acts for.</param>
/// <param name="Role"><c>member</c>, <c>agency</c> or <c>admin</c>.</param>
/// <param name="Name">The label given when the key was created; absent when none was given.</param>
/// <param name="Prefix">The key's first 8 characters, e.g. <c>mk_Ab12x</c>: enough to recognise it, too little to use it.</param>
/// <param name="CreatedAt">When the key was created, UTC, ISO 8601.</param>
/// <param name="RevokedAt">When the key was revoked, UTC, ISO 8601; absent while the key is valid.</param>
public sealed record ApiKeyResponse(
    string Id, string OrganizationId, string Role, string? Name, string Prefix,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Returned once, when a key is created: <c>key</c> is not stored and cannot be shown again.</summary>
/// <param name="ApiKey">The key's record, as GET /api/v1/api-keys lists it.</param>
/// <param name="Key">The secret key, <c>mk_</c> and 43 more characters: send it in the X-Api-Key header. Only its hash is stored.</param>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);

/// <summary>A rebuild of the search index from the database.</summary>
/// <param name="Indexed">Listings the new index holds.</param>
/// <param name="SetAside">Listings it could not take (each retried alone, and parked if refused again).</param>
/// <param name="Seconds">How long the rebuild took, in seconds (to the millisecond).</param>
public sealed record ReindexResponse(long Indexed, long SetAside, double Seconds);

/// <summary>What waits for the search engine: outbox rows not yet indexed.</summary>
/// <param name="Pending">Listing writes not yet in the engine (parked ones aside).</param>
/// <param name="OldestEnqueuedAt">When the oldest of them was written, UTC, ISO 8601; absent when none waits.</param>
/// <param name="MaxAttempts">The most times one of them has failed; 0 when none has.</param>
/// <param name="LastError">The last error recorded for the write that failed most often, if any.</param>
/// <param name="Parked">Listings the engine kept refusing, set aside until an operator retries them.</param>
public sealed record IndexBacklog(long Pending, DateTimeOffset? OldestEnqueuedAt, int MaxAttempts, string? LastError, long Parked);

/// <summary>A listing the engine refused again and again: it waits for an operator and holds back nothing else.</summary>
/// <param name="ListingId">The id of the parked offer (<c>of_…</c>) or need (<c>nd_…</c>).</param>
/// <param name="Version">The latest version of the listing that waits to be indexed.</param>
/// <param name="Refusals">How many times in a row the engine refused it (Marketplace:Indexing:MaxRefusals, default 5, parks it).</param>
/// <param name="LastError">Why the engine refused it the last time.</param>
/// <param name="ParkedAt">When it was parked, UTC, ISO 8601.</param>
public sealed record ParkedListing(string ListingId, long Version, int Refusals, string? LastError, DateTimeOffset ParkedAt);

/// <summary>The last or current rebuild of the index on this replica.</summary>
/// <param name="Running">True while a rebuild runs on this replica.</param>
/// <param name="StartedAt">When the last rebuild started, UTC, ISO 8601; absent when none has run since this replica started.</param>
/// <param name="FinishedAt">When the last finished rebuild ended, UTC, ISO 8601; while one runs, the previous one's.</param>
/// <param name="Indexed">Listings the last finished rebuild indexed; absent when it failed or none has finished.</param>
/// <param name="Error">Why the last finished rebuild failed; absent when it succeeded or none has run.</param>
public sealed record RebuildStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long? Indexed, string? Error);

/// <summary>The state of search indexing as this replica sees it: the engine, counts, the backlog, parked listings, the last rebuild and the glossary.</summary>
/// <param name="Engine"><c>lucene</c> or <c>elasticsearch</c>.</param>
/// <param name="IndexedDocuments">Documents in the index; null when the engine does not answer (see <c>EngineError</c>).</param>
/// <param name="EngineError">Why the engine did not answer.</param>
/// <param name="DatabaseListings">Listings in the database, the source of truth.</param>
/// <param name="Backlog">What waits for the search engine: writes not yet indexed, and parked listings.</param>
/// <param name="Parked">The first 100 parked listings.</param>
/// <param name="Rebuild">The last or current rebuild of the index on this replica.</param>
/// <param name="GlossaryRevision">The glossary revision this replica extracts concepts with.</param>
/// <param name="GlossaryChangesWaiting">Glossary changes whose listings are not yet queued for re-indexing (the engine was away).</param>
public sealed record IndexStatusResponse(
    string Engine, long? IndexedDocuments, string? EngineError, long DatabaseListings, IndexBacklog Backlog,
    IReadOnlyList<ParkedListing> Parked, RebuildStatus Rebuild, long GlossaryRevision, long GlossaryChangesWaiting);

/// <summary>Parked listings to retry: those named, or all of them when none is.</summary>
public sealed record RetryParkedRequest
{
    /// <summary>The ids of the parked listings to retry: 1 to 1,000 ids. To retry every parked listing, send no body at all.</summary>
    public IReadOnlyList<string>? ListingIds { get; init; }
}

/// <summary>The answer to a retry of parked listings.</summary>
/// <param name="Requeued">Listings taken out of the parking and due again now.</param>
public sealed record RetryParkedResponse(int Requeued);
