using System.Text.Json;
using FluentValidation;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Listings;

/// <summary>
/// <c>POST /offers/bulk</c> and <c>/needs/bulk</c>: NDJSON, one listing per line, upsert by
/// externalRef. The body is read line by line and written in batches (one transaction and one
/// engine write per batch), so memory does not grow with the request; a bad line fails alone.
/// </summary>
public sealed class ListingBulkImport(ListingStore store, Indexing.ListingIndexer indexer, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>
    /// Lines per transaction: big enough that commits and engine refreshes do not dominate, small enough
    /// to keep memory flat and a transaction short (other writers wait for it on SQLite). 30,000 offers
    /// into a fresh process (alternating runs): 1,752–1,766 listings/s at 1,000, 1,858–1,983 at 2,500,
    /// 1,969–2,093 at 5,000.
    /// </summary>
    public const int BatchSize = 2500;
    /// <summary>Refused lines listed in the answer; all are counted.</summary>
    public const int MaxListedErrors = 1000;

    static readonly ListingValidator Validator = new(requireExternalRef: true);

    sealed record Pending(long Line, string ExternalRef, string OrganizationId, ListingContent Content);

    public async Task<Results<Ok<BulkResponse>, ProblemHttpResult>> ImportAsync(ListingKind kind, HttpContext http, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not ("application/x-ndjson" or "application/jsonl" or "application/json-seq" or "text/plain"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, Messages.Get(Messages.NdjsonMediaType));

        var caller = Caller.From(http.User);
        var organizations = new Dictionary<string, bool>();
        long created = 0, updated = 0, unchanged = 0, failed = 0;
        var errors = new List<BulkLineError>();
        var batch = new List<Pending>(BatchSize);

        void Fail(long line, string? externalRef, LineProblem problem)
        {
            failed++;
            if (errors.Count < MaxListedErrors) errors.Add(new BulkLineError(line, externalRef, problem));
        }

        // The engine indexes one batch while the next is parsed and stored: on two cores, the analysis
        // of Chinese and Russian text and the database work overlap. The answer waits for the last one.
        var indexing = Task.CompletedTask;

        async Task FlushAsync()
        {
            var changed = new List<ListingRow>();
            foreach (var group in batch.GroupBy(p => p.OrganizationId))
            {
                var (results, rows) = await store.UpsertManyAsync(kind, group.Key, group.Select(p => ((string?)p.ExternalRef, p.Content)).ToList(),
                    caller.CanReview(group.Key), ct);
                changed.AddRange(rows);
                foreach (var (_, outcome) in results)
                {
                    if (outcome == ListingStore.Outcome.Created) created++;
                    else if (outcome == ListingStore.Outcome.Updated) updated++;
                    else unchanged++;
                }
            }
            batch.Clear();
            await indexing;
            // On a thread of its own: with SQLite every await in the indexer completes at once, and the
            // whole batch would be indexed before the next line is read.
            indexing = Task.Run(() => indexer.IndexNowAsync(changed), CancellationToken.None);
        }

        using var lines = new NdjsonLines(http.Request.BodyReader);
        while (await lines.ReadAsync(ct) is { } line)
        {
            var number = line.Number;
            if (line.TooLong)
            {
                Fail(number, null, Problem(StatusCodes.Status413PayloadTooLarge, Messages.Get(Messages.LineTooLong, NdjsonLines.MaxLineBytes / 1024)));
                continue;
            }
            if (IsBlank(line.Utf8.Span)) continue;
            ListingRequest? listing;
            try
            {
                listing = JsonSerializer.Deserialize<ListingRequest>(line.Utf8.Span, json.Value.SerializerOptions);
            }
            catch (JsonException e)
            {
                // A line that is JSON with a value of the wrong type still names its externalRef.
                Fail(number, ExternalRefOf(line.Utf8), ToLine(BadRequestExceptionHandler.FromJson(e, inLine: true)));
                continue;
            }
            if (listing is null)
            {
                Fail(number, null, Invalid(new Dictionary<string, string[]> { ["$"] = [Messages.Get(Messages.BadJsonLine)] }));
                continue;
            }
            var externalRef = listing.ExternalRef?.Trim();
            var validation = await Validator.ValidateAsync(listing, ct);
            if (!validation.IsValid)
            {
                Fail(number, externalRef, Invalid(validation.ToDictionary()));
                continue;
            }
            var organizationId = string.IsNullOrWhiteSpace(listing.OrganizationId) ? caller.OrganizationId! : listing.OrganizationId.Trim();
            if (!caller.CanActFor(organizationId))
            {
                Fail(number, externalRef, Problem(StatusCodes.Status403Forbidden, Messages.Get(Messages.OtherOrganization)));
                continue;
            }
            if (!organizations.TryGetValue(organizationId, out var exists))
                organizations[organizationId] = exists = await store.OrganizationExistsAsync(organizationId, ct);
            if (!exists)
            {
                Fail(number, externalRef, Invalid(new Dictionary<string, string[]>
                {
                    ["organizationId"] = [Messages.Get(Messages.NotFoundDetail, Messages.Noun("organization"), organizationId)],
                }));
                continue;
            }
            batch.Add(new Pending(number, externalRef!, organizationId, ListingContent.From(listing)));
            if (batch.Count >= BatchSize) await FlushAsync();
        }
        if (batch.Count > 0) await FlushAsync();
        await indexing;
        return TypedResults.Ok(new BulkResponse(created, updated, unchanged, failed, errors, failed > errors.Count));
    }

    static bool IsBlank(ReadOnlySpan<byte> utf8) => utf8.TrimStart(" \t"u8).IsEmpty;

    static LineProblem Invalid(IDictionary<string, string[]> errors) => new(
        "https://tools.ietf.org/html/rfc9110#section-15.5.1", Messages.Get(Messages.ValidationTitle), 400,
        Messages.Get(Messages.ValidationDetail), errors.ToDictionary());

    static LineProblem Problem(int status, string detail) =>
        new($"https://tools.ietf.org/html/rfc9110#section-15.5.{status switch { 403 => 4, 413 => 14, _ => 1 }}", Messages.TitleFor(status), status, detail, null);

    static LineProblem ToLine(HttpValidationProblemDetails p) =>
        new(p.Type ?? "https://tools.ietf.org/html/rfc9110#section-15.5.1", p.Title ?? "", p.Status ?? 400, p.Detail, p.Errors.ToDictionary());

    /// <summary>The externalRef of a line that is JSON but not a listing; null when it has none or is no JSON.</summary>
    static string? ExternalRefOf(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("externalRef", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()?.Trim()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
