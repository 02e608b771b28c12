using System.Text;

namespace Marketplace.Api.Http;

/// <summary>Opaque cursors: an offset wrapped so that clients treat it as a token.</summary>
public static class Cursors
{
    /// <summary>How deep pages go: both engines serve up to this offset (Elasticsearch's max_result_window is set to match).</summary>
    public const int MaxOffset = 100_000;

    public static string Write(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}"));

    /// <summary>The cursor of the page after one that started at <paramref name="offset"/> and held <paramref name="count"/> items; null after the last page or the deepest one served.</summary>
    public static string? Next(int offset, int count, long total) =>
        count > 0 && offset + count < total && offset + count <= MaxOffset ? Write(offset + count) : null;

    /// <summary>
    /// A list's page from its <c>cursor</c> and <c>limit</c> (default 20, at most 100): null when both
    /// are good, else the validation problem naming the bad one.
    /// </summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? Page(string? cursor, int? limit, out int offset, out int size)
    {
        size = limit ?? Listings.ListingSearch.DefaultLimit;
        offset = 0;
        if (size is < 1 or > Listings.ListingSearch.MaxLimit)
            return Problems.Validation("limit", Messages.Get(Messages.TooMany, Listings.ListingSearch.MaxLimit));
        return TryRead(cursor, out offset) ? null : Problems.Validation("cursor", Messages.Get(Messages.BadCursor));
    }

    /// <summary>True for null (the first page) or a cursor this API issued.</summary>
    public static bool TryRead(string? cursor, out int offset)
    {
        offset = 0;
        if (cursor is null) return true;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], out offset) && offset is >= 0 and <= MaxOffset;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>If-Match handling shared by listings and glossary terms.</summary>
public static class Preconditions
{
    /// <summary>412 when <c>If-Match</c> names another version than <paramref name="version"/>; absent or <c>*</c> matches any.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Stale(HttpContext http, long version)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0 || ifMatch == "*") return null;
        var tags = ifMatch.Split(',').Select(t => t.Trim().Replace("W/", ""));
        return tags.Contains($"\"{version}\"") ? null : Problems.PreconditionFailed(ifMatch, version);
    }
}
