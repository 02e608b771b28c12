using System.Text;
using Marketplace.Api.Infrastructure;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Listings;

/// <summary>Runs a search against the index and reads the hits back from the database, in rank order.</summary>
public sealed class ListingSearch(IListingIndex index, ListingStore store)
{
    public const int DefaultLimit = 20, MaxLimit = 100;

    public async Task<Results<Ok<SearchPage>, ValidationProblem>> RunAsync(ListingKind kind, SearchParameters p, CancellationToken ct)
    {
        var errors = Validate(p, out var offset);
        if (errors.Count > 0) return Problems.Validation(errors);

        var limit = p.Limit ?? DefaultLimit;
        var filter = new ListingFilter
        {
            Kind = kind.Name,
            Field = p.Field,
            Country = p.Country,
            TrlMin = p.TrlMin,
            TrlMax = p.TrlMax,
            CooperationForms = p.Form,
            Language = p.Lang,
        };
        var result = await index.SearchAsync(new SearchQuery(p.Q, filter, offset, limit), ct);
        var rows = await store.FindManyAsync(result.Hits.Select(h => h.Id).ToList(), ct);
        var next = offset + result.Hits.Count < result.Total ? Cursor(offset + result.Hits.Count) : null;
        var facets = result.Facets!;
        return TypedResults.Ok(new SearchPage(
            rows.Select(r => r.ToResponse()).ToList(), next, result.Total,
            new SearchFacets(facets.Field, facets.Country, facets.CooperationForm, facets.Trl)));
    }

    static Dictionary<string, string[]> Validate(SearchParameters p, out int offset)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string name, string message)
        {
            if (!ok) errors[name] = [message];
        }
        Check(p.Field is null || Taxonomy.FieldCodes.Contains(p.Field), "field", Messages.Get(Messages.UnknownCode, p.Field));
        Check(p.Country is null || Countries.Codes.Contains(p.Country), "country", Messages.Get(Messages.CountryCode));
        Check(p.TrlMin is null or >= 1 and <= 9, "trlMin", Messages.Get(Messages.TrlRange));
        Check(p.TrlMax is null or >= 1 and <= 9, "trlMax", Messages.Get(Messages.TrlRange));
        var badForm = p.Form?.FirstOrDefault(f => !Taxonomy.CooperationFormCodes.Contains(f));
        Check(badForm is null, "form", Messages.Get(Messages.UnknownCode, badForm));
        Check(p.Lang is null || Languages.All.Contains(p.Lang), "lang", Messages.Get(Messages.UnknownCode, p.Lang));
        Check(p.Limit is null or >= 1 and <= MaxLimit, "limit", Messages.Get(Messages.TooMany, MaxLimit));
        Check(p.Q is null || p.Q.Length <= 1000, "q", Messages.Get(Messages.TooLong, 1000));
        offset = 0;
        Check(p.Cursor is null || TryReadCursor(p.Cursor, out offset), "cursor", Messages.Get(Messages.BadCursor));
        return errors;
    }

    // The cursor is an offset wrapped so that clients treat it as opaque.
    static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}"));

    static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], out offset) && offset is >= 0 and <= 100_000;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
