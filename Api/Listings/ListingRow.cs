using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Listings;

/// <summary>A row of the <c>listings</c> table.</summary>
public sealed class ListingRow
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string? ExternalRef { get; set; }
    public string Status { get; set; } = "";
    public string Field { get; set; } = "";
    public int Trl { get; set; }
    public string Country { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary><see cref="RankingFacts"/> as JSON, written with the body; null in rows older than it.</summary>
    public string? Ranking { get; set; }
    public long Version { get; set; }
    public string IndexStatus { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When a published listing expires unless renewed; null when not published.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The last review as JSON (<see cref="ListingReview"/>); null when never reviewed.</summary>
    public string? Review { get; set; }
    /// <summary>When the listing was first published; null until then.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public ListingContent Content => ListingContent.FromJson(Body);

    /// <summary>What a match or an event shows of the listing.</summary>
    public ListingSummary ToSummary()
    {
        var content = Content;
        return new ListingSummary(Id, ExternalRef, Kind, OrganizationId, content.Title ?? new LocalizedText(), content.Field, content.Trl,
            content.CooperationForms, content.Country);
    }
    /// <summary>The stored ranking facts; a row older than them, or than their current version, is read from its body.</summary>
    public RankingFacts RankingFacts => StoredRankingFacts ?? RankingFacts.Of(Content);
    /// <summary>Whether the ranking facts stored beside the body are of the current version (else they are read from the body).</summary>
    public bool HasCurrentRankingFacts => StoredRankingFacts is not null;
    RankingFacts? StoredRankingFacts =>
        _stored ??= Ranking is not null && RankingFacts.FromJson(Ranking) is { Version: RankingFacts.CurrentVersion } stored ? stored : null;
    RankingFacts? _stored;
    public string ETag => $"\"{Version}\"";
}

/// <summary>
/// What a listing says, as stored in the <c>body</c> column; identity and bookkeeping live in columns.
/// Title and description are null only in rows stored before they were required.
/// </summary>
public sealed record ListingContent(
    LocalizedText? Title,
    LocalizedText? Description,
    LocalizedTerms? Keywords,
    string Field,
    int Trl,
    IReadOnlyList<string> CooperationForms,
    string Country,
    string? Region,
    IpInfo? Ip,
    string Status)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A validated request, with blank texts dropped so that equal content serialises equally.</summary>
    public static ListingContent From(ListingRequest r) => new(
        Clean(r.Title)!,
        Clean(r.Description)!,
        Clean(r.Keywords),
        r.Field!,
        r.Trl!.Value,
        r.CooperationForms!.Distinct().ToList(),
        r.Country!,
        string.IsNullOrWhiteSpace(r.Region) ? null : r.Region.Trim(),
        r.Ip,
        r.Status ?? ListingStatus.Published);

    static LocalizedText? Clean(LocalizedText? t) => t is null ? null : new LocalizedText
    {
        Zh = Blank(t.Zh), Ru = Blank(t.Ru), En = Blank(t.En),
    };

    static LocalizedTerms? Clean(LocalizedTerms? t)
    {
        if (t is null) return null;
        static IReadOnlyList<string>? List(IReadOnlyList<string>? l) =>
            l?.Select(s => s.Trim()).Where(s => s.Length > 0).ToList() is { Count: > 0 } list ? list : null;
        var cleaned = new LocalizedTerms { Zh = List(t.Zh), Ru = List(t.Ru), En = List(t.En) };
        return cleaned.Zh is null && cleaned.Ru is null && cleaned.En is null ? null : cleaned;
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Every text of the listing, all languages, one per line: what figures are read from.</summary>
    public string AllText() => string.Join('\n', new[] { Title?.Zh, Title?.Ru, Title?.En, Description?.Zh, Description?.Ru, Description?.En }
        .Concat(Keywords?.Zh ?? []).Concat(Keywords?.Ru ?? []).Concat(Keywords?.En ?? []).Where(t => !string.IsNullOrEmpty(t)));

    public static ListingContent FromJson(string json) => JsonSerializer.Deserialize<ListingContent>(json, Json)!;

    /// <summary>
    /// The texts per language, as the engine indexes and matches them. Rows stored before titles were
    /// required may lack one: a missing part reads as empty, so such a listing is still indexed.
    /// </summary>
    public IReadOnlyDictionary<string, LanguageText> Texts()
    {
        var texts = new Dictionary<string, LanguageText>();
        void Add(string language, string? title, string? description, IReadOnlyList<string>? keywords)
        {
            if (title is null && description is null && keywords is null) return;
            texts[language] = new LanguageText(title ?? "", description ?? "", keywords ?? []);
        }
        Add(Languages.Zh, Title?.Zh, Description?.Zh, Keywords?.Zh);
        Add(Languages.Ru, Title?.Ru, Description?.Ru, Keywords?.Ru);
        Add(Languages.En, Title?.En, Description?.En, Keywords?.En);
        return texts;
    }
}

public static class ListingMapping
{
    public static ListingResponse ToResponse(this ListingRow row)
    {
        var c = row.Content;
        return new ListingResponse
        {
            Id = row.Id,
            Kind = row.Kind,
            ExternalRef = row.ExternalRef,
            OrganizationId = row.OrganizationId,
            Title = c.Title ?? new LocalizedText(),
            Description = c.Description ?? new LocalizedText(),
            Keywords = c.Keywords,
            Field = c.Field,
            Trl = c.Trl,
            CooperationForms = c.CooperationForms,
            Country = c.Country,
            Region = c.Region,
            Ip = c.Ip,
            Status = row.Status,
            CreatedAt = row.CreatedAt,
            UpdatedAt = row.UpdatedAt,
            Version = row.Version,
            IndexStatus = row.IndexStatus,
            ExpiresAt = row.Status == ListingStatus.Published ? row.ExpiresAt : null,
            Review = row.Review is null ? null : ListingReviews.FromJson(row.Review),
            PublishedAt = row.PublishedAt,
        };
    }
}

/// <summary>The <c>review</c> column: a listing's last review as JSON.</summary>
public static class ListingReviews
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(ListingReview review) => JsonSerializer.Serialize(review, Json);

    public static ListingReview FromJson(string json) => JsonSerializer.Deserialize<ListingReview>(json, Json)!;
}

/// <summary>
/// What ranking reads of a candidate beyond its columns: its cooperation forms and the figures its
/// texts state. Derived from the content when it is written and stored beside the body, so that a
/// match parses 30 small records instead of 30 bodies and reads no figures out of their text.
/// </summary>
/// <param name="Version">Raise <see cref="CurrentVersion"/> when what is derived changes (the units
/// Figures knows, how it reads numbers): stored facts of another version are read from the body again.</param>
public sealed record RankingFacts(IReadOnlyList<string> CooperationForms, IReadOnlyList<Figure> Figures, int Version = RankingFacts.CurrentVersion)
{
    public const int CurrentVersion = 1;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static RankingFacts Of(ListingContent content) => new(content.CooperationForms, Marketplace.Matching.Figures.Extract(content.AllText()));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RankingFacts FromJson(string json) => JsonSerializer.Deserialize<RankingFacts>(json, Json)!;
}
