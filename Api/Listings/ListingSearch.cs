using Marketplace.Api.Http;
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
        // The index may lag behind the database (or have stopped): what is shown is what the database says is published now.
        var rows = (await store.FindManyAsync(result.Hits.Select(h => h.Id).ToList(), ct))
            .Where(r => r.Status == ListingStatus.Published && r.Kind == kind.Name);
        var next = Cursors.Next(offset, result.Hits.Count, result.Total);
        var facets = result.Facets!;
        return TypedResults.Ok(new SearchPage(
            rows.Select(r => r.ToResponse()).ToList(), next, result.Total,
            new SearchFacets(facets.Field, facets.Country, facets.CooperationForm, facets.Trl)));
    }

    /// <summary>The filters search and matching share: codes must be known, TRL 1-9.</summary>
    public static Dictionary<string, string[]> ValidateFilters(string? field, string? country, int? trlMin, int? trlMax, string[]? form, string? lang)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string name, string message)
        {
            if (!ok) errors[name] = [message];
        }
        Check(field is null || Taxonomy.FieldCodes.Contains(field), "field", Messages.Get(Messages.UnknownCode, field));
        Check(country is null || Countries.Codes.Contains(country), "country", Messages.Get(Messages.CountryCode));
        Check(trlMin is null or >= 1 and <= 9, "trlMin", Messages.Get(Messages.TrlRange));
        Check(trlMax is null or >= 1 and <= 9, "trlMax", Messages.Get(Messages.TrlRange));
        var badForm = form?.FirstOrDefault(f => !Taxonomy.CooperationFormCodes.Contains(f));
        Check(badForm is null, "form", Messages.Get(Messages.UnknownCode, badForm));
        Check(lang is null || Languages.All.Contains(lang), "lang", Messages.Get(Messages.UnknownCode, lang));
        return errors;
    }

    static Dictionary<string, string[]> Validate(SearchParameters p, out int offset)
    {
        var errors = ValidateFilters(p.Field, p.Country, p.TrlMin, p.TrlMax, p.Form, p.Lang);
        void Check(bool ok, string name, string message)
        {
            if (!ok) errors[name] = [message];
        }
        Check(p.Limit is null or >= 1 and <= MaxLimit, "limit", Messages.Get(Messages.TooMany, MaxLimit));
        Check(p.Q is null || p.Q.Length <= 1000, "q", Messages.Get(Messages.TooLong, 1000));
        offset = 0;
        Check(Cursors.TryRead(p.Cursor, out offset), "cursor", Messages.Get(Messages.BadCursor));
        return errors;
    }
}
