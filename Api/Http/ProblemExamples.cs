using Marketplace.Contracts;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Marketplace.Api.Http;

/// <summary>
/// Every problem an operation declares gets the problem the server would send, in Chinese, Russian and
/// English (Swagger UI offers the three), written with the server's own messages: a 404 of a need names
/// "技术需求", a 400 of a read names a parameter, a 412 the versions. Each example is written once, under
/// <c>components/examples</c>, and referred to.
/// </summary>
static class ProblemExamples
{
    static readonly string[] Languages = ["zh", "ru", "en"];
    const string TraceId = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    /// <summary>What a 404, 409 or 412 of the path is about: its noun for messages, and an id as the server assigns them.</summary>
    static (string Noun, string Id, string Area) Resource(string path) => path switch
    {
        _ when path.StartsWith("/api/v1/offers", StringComparison.Ordinal) => ("offer", "of_01a227f31c337405a64393085d0b108d", "listing"),
        _ when path.StartsWith("/api/v1/needs", StringComparison.Ordinal) => ("need", "nd_01a227f31c4a7c0e8d6f1b2a3c4d5e6f", "listing"),
        _ when path.StartsWith("/api/v1/organizations", StringComparison.Ordinal) => ("organization", "org_01a227f2ee0d7a21b5c3d4e5f6a7b8c9", "organization"),
        _ when path.StartsWith("/api/v1/api-keys", StringComparison.Ordinal) => ("api key", "key_01a227f2ef1e8b32c6d4e5f6a7b8c9d0", "key"),
        _ when path.StartsWith("/api/v1/glossary", StringComparison.Ordinal) => ("glossary term", "ch-0173", "glossary"),
        _ when path.StartsWith("/api/v1/lexicon", StringComparison.Ordinal) => ("lexicon entry", "field-applied-chemistry:蓖麻油", "lexicon"),
        _ when path.StartsWith("/api/v1/interests", StringComparison.Ordinal) => ("interest", "int_01a227f31d5b8e1f9a7c2b3d4e5f6a7b", "interest"),
        _ when path.StartsWith("/api/v1/introductions", StringComparison.Ordinal) => ("introduction", "itr_01a227f31e6c9f2a0b8d3c4e5f6a7b8c", "introduction"),
        _ when path.StartsWith("/api/v1/recommendations", StringComparison.Ordinal) => ("recommendation", "rec_01a227f31f7d0a3b1c9e4d5f6a7b8c9d", "interest"),
        _ when path.StartsWith("/api/v1/subscriptions", StringComparison.Ordinal) => ("organization", "org_01a227f2ee0d7a21b5c3d4e5f6a7b8c9", "organization"),
        _ when path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal) => ("webhook", "whk_01a227f3208e1b4c2d0f5e6a7b8c9d0e", "webhook"),
        _ when path.StartsWith("/api/v1/events", StringComparison.Ordinal) => ("event", "evt_01a227f3219f2c5d3e1a6f7b8c9d0e1f", "event"),
        _ => ("", "", ""),
    };

    public static void Apply(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (!int.TryParse(code, out var status) || status < 400 || response is not OpenApiResponse concrete) continue;
            if (concrete.Content?.TryGetValue("application/problem+json", out var media) != true || media is null) continue;
            var variant = Variant(status, path, method, operation);
            if (variant is null) continue;
            media.Examples = new Dictionary<string, IOpenApiExample>();
            foreach (var language in Languages)
            {
                var name = $"problem-{status}-{variant}-{language}";
                document.Components!.Examples ??= new Dictionary<string, IOpenApiExample>();
                if (!document.Components.Examples.ContainsKey(name))
                    document.Components.Examples[name] = new OpenApiExample
                    {
                        Summary = language switch { "zh" => "中文", "ru" => "Русский", _ => "English" },
                        Value = InLanguage(language, () => Problem(status, variant, path)),
                    };
                media.Examples[language] = new OpenApiExampleReference(name, document);
            }
        }
    }

    /// <summary>Which text of a status the operation gets (they differ by what the operation is about).</summary>
    static string? Variant(int status, string path, HttpMethod method, OpenApiOperation operation) => status switch
    {
        400 => method == HttpMethod.Get || operation.RequestBody is null ? "parameter"
            : path.Contains("/glossary", StringComparison.Ordinal) ? "term"
            : path.Contains("/lexicon", StringComparison.Ordinal) ? "entry"
            : path.Contains("/organizations", StringComparison.Ordinal) ? "organization"
            : path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal) ? "webhook" : "body",
        // An open operation refuses only a key it does not know; a protected one also a missing key.
        401 => operation.Security?.Any(s => s.Count == 0) == true ? "invalid-key" : "missing-key",
        404 => Resource(path).Noun is { Length: > 0 } noun ? noun.Replace(' ', '-') : null,
        409 when path.EndsWith("/review", StringComparison.Ordinal) => "review",
        409 when path.EndsWith("/renew", StringComparison.Ordinal) => "renew",
        409 when path is "/api/v1/interests" or "/api/v1/recommendations" => "interest-listing",
        409 or 412 => Resource(path).Area is { Length: > 0 } area ? area : null,
        413 or 403 or 429 or 503 => "any",
        415 => path.EndsWith("/bulk", StringComparison.Ordinal) ? "ndjson" : "json",
        _ => null,
    };

    static JsonObject Problem(int status, string variant, string path)
    {
        var (noun, id, _) = Resource(path);
        var (title, detail) = status switch
        {
            400 => (Messages.Get(Messages.ValidationTitle), Messages.Get(variant == "parameter" ? Messages.ValidationReadDetail : Messages.ValidationDetail)),
            401 => (Messages.TitleFor(401), Messages.Get(variant == "invalid-key" ? Messages.InvalidKeyDetail : Messages.UnauthorizedDetail)),
            403 => (Messages.TitleFor(403), Messages.Get(Messages.ForbiddenDetail)),
            404 => (Messages.TitleFor(404), Messages.Get(Messages.NotFoundDetail, Messages.Noun(noun), id)),
            409 => (Messages.TitleFor(409), variant switch
            {
                "glossary" => Messages.Get(Messages.GlossaryNameTaken, "蓖麻油", "g-019ad3c1a2b37e4f8d21"),
                "lexicon" => Messages.Get(Messages.LexiconFormTaken, "蓖麻油", "field-applied-chemistry:蓖麻油"),
                "review" => Messages.Get(Messages.NotSubmitted, Messages.StatusName(ListingStatus.Published)),
                "renew" => Messages.Get(Messages.NotRenewable, Messages.StatusName(ListingStatus.Draft)),
                "interest-listing" => Messages.Get(Messages.NotPublished, Messages.StatusName(ListingStatus.Expired)),
                "interest" => Messages.Get(Messages.AlreadyAnswered, Messages.StatusName(InterestStatus.Accepted)),
                "introduction" => Messages.Get(Messages.CannotMove, Messages.StatusName(IntroductionStatus.Agreement), Messages.StatusName(IntroductionStatus.Closed)),
                _ => Messages.Get(Messages.ExternalRefTaken, "erp-4711"),
            }),
            412 => (Messages.TitleFor(412), Messages.Get(Messages.PreconditionDetail, "\"2\"", 3)),
            413 => (Messages.TitleFor(413), Messages.Get(Messages.BodyTooLarge, Hosting.ServiceSetup.MaxBodyBytes / 1024)),
            415 => (Messages.TitleFor(415), Messages.Get(variant == "ndjson" ? Messages.NdjsonMediaType : Messages.JsonMediaType)),
            429 => (Messages.TitleFor(429), Messages.Get(Messages.TooManyRequests, 1)),
            _ => (Messages.TitleFor(503), Messages.Get(Messages.SearchUnavailable)),
        };
        var problem = new JsonObject
        {
            ["type"] = status == 429 ? "https://tools.ietf.org/html/rfc6585#section-4" : $"https://tools.ietf.org/html/rfc9110#section-{Section(status)}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (status == 400)
            problem["errors"] = variant switch
            {
                "parameter" => new JsonObject { ["trlMin"] = new JsonArray(Messages.Get(Messages.ParameterNotNumber, "七")) },
                "term" => new JsonObject { ["ru"] = new JsonArray(Messages.Get(Messages.Required, "ru")) },
                "entry" => new JsonObject { ["zh"] = new JsonArray(Messages.Get(Messages.Required, "zh")) },
                "organization" => new JsonObject { ["contact.email"] = new JsonArray(Messages.Get(Messages.EmailAddress)) },
                "webhook" => new JsonObject { ["url"] = new JsonArray(Messages.Get(Messages.PrivateTarget, "10.0.0.5")) },
                _ => new JsonObject
                {
                    ["title.zh"] = new JsonArray(Messages.Get(Messages.ChineseScript)),
                    ["trl"] = new JsonArray(Messages.Get(Messages.TrlRange)),
                },
            };
        problem["traceId"] = TraceId;
        return problem;
    }

    static string Section(int status) => status switch
    {
        400 => "15.5.1", 401 => "15.5.2", 403 => "15.5.4", 404 => "15.5.5", 409 => "15.5.10", 412 => "15.5.13",
        413 => "15.5.14", 415 => "15.5.16", _ => "15.6.4",
    };

    static JsonObject InLanguage(string language, Func<JsonObject> write)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return write();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
