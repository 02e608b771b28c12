using FluentValidation;
using Marketplace.Api.Auth;
using Marketplace.Api.Glossary;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Lexicon;

/// <summary>The word lexicon, curated by agencies like the glossary. Matching translates with it at query time: no re-indexing.</summary>
public static class LexiconApi
{
    public static IEndpointRouteBuilder MapLexicon(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/lexicon").WithTags("Lexicon").RequireAuthorization(Policies.Agency);
        group.MapGet("/", List).WithName("ListLexicon")
            .WithSummary("List lexicon entries, by area or text · 词典 · Словарь").ProducesValidationProblem()
            .WithDescription("The words and short terms by which texts are translated word by word when a match is asked, shipped and curated, filtered by area or by a text in either language, paged.");
        group.MapGet("/{id}", Get).WithName("GetLexiconEntry").WithSummary("Read a lexicon entry · 查看词条 · Словарная статья")
            .WithDescription("One Chinese word with its Russian (and English) translations; the ETag header carries its version for If-Match.");
        group.MapPost("/", Add).AddEndpointFilter<ValidationFilter<LexiconEntryRequest>>().WithName("AddLexiconEntry")
            .WithSummary("Add a word with its translations · 添加词条 · Добавить слово")
            .WithDescription("A Chinese form has one entry per area: a form another entry of the area has answers 409 naming it. Matches use the change within seconds, on every replica.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id}", Replace).AddEndpointFilter<ValidationFilter<LexiconEntryRequest>>().WithName("UpdateLexiconEntry")
            .WithSummary("Change a lexicon entry; honours If-Match · 修改词条 · Изменить слово")
            .WithDescription("Replaces the forms and translations; matches use the change within seconds, on every replica. A Chinese form another entry of the area has answers 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Remove).WithName("RemoveLexiconEntry").WithSummary("Remove a lexicon entry · 删除词条 · Удалить слово")
            .WithDescription("Matches stop using it within seconds; honours If-Match.");
        return routes;
    }

    public static async Task<Results<Ok<Page<LexiconEntryResponse>>, ValidationProblem>> List(
        LexiconStore store,
        [System.ComponentModel.Description("A lexicon area, e.g. field-biotech, general-machines or abbreviations")] string? area,
        [System.ComponentModel.Description("Text in Chinese or Russian found in a form or translation")] string? q,
        [System.ComponentModel.Description("The nextCursor of the previous page")] string? cursor,
        [System.ComponentModel.Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        if (area is not null && !LexiconStore.Areas.Contains(area))
            return Problems.Validation("area", Messages.Get(Messages.UnknownLexiconArea, area, string.Join(", ", LexiconStore.Areas)));
        var (rows, total) = await store.ListAsync(area, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), offset, size, ct);
        return TypedResults.Ok(new Page<LexiconEntryResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<LexiconEntryResponse>, ProblemHttpResult>> Get(string id, LexiconStore store, HttpContext http, CancellationToken ct)
    {
        var row = await store.FindAsync(id, ct);
        if (row is null) return Problems.NotFound("lexicon entry", id);
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Created<LexiconEntryResponse>, ProblemHttpResult>> Add(
        LexiconEntryRequest body, LexiconStore store, GlossaryReloader reloader, CancellationToken ct)
    {
        var (row, taken) = await store.AddAsync(body, ct);
        if (taken is not null) return FormTaken(taken);
        await reloader.ReloadAsync(ct);
        return TypedResults.Created($"/api/v1/lexicon/{row!.Id}", row.ToResponse());
    }

    public static async Task<Results<Ok<LexiconEntryResponse>, ProblemHttpResult>> Replace(string id, LexiconEntryRequest body, LexiconStore store,
        GlossaryReloader reloader, HttpContext http, CancellationToken ct)
    {
        var current = await store.FindAsync(id, ct);
        if (current is null) return Problems.NotFound("lexicon entry", id);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        var (row, taken) = await store.ReplaceAsync(current, body, ct);
        if (taken is not null) return FormTaken(taken);
        if (row is null) return Problems.PreconditionFailed($"\"{current.Version}\"", current.Version + 1);
        await reloader.ReloadAsync(ct);
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(string id, LexiconStore store, GlossaryReloader reloader, HttpContext http,
        CancellationToken ct)
    {
        var current = await store.FindAsync(id, ct);
        if (current is null) return Problems.NotFound("lexicon entry", id);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        if (!await store.RemoveAsync(current, ct)) return Problems.PreconditionFailed($"\"{current.Version}\"", current.Version + 1);
        await reloader.ReloadAsync(ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult FormTaken(LexiconStore.FormTaken taken) =>
        Problems.Conflict(Messages.Get(Messages.LexiconFormTaken, taken.Form, taken.EntryId));
}

public sealed class LexiconEntryValidator : AbstractValidator<LexiconEntryRequest>
{
    const int FormMax = 100, FormsMax = 20;

    public LexiconEntryValidator()
    {
        RuleFor(x => x.Area).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "area"))
            .Must(a => LexiconStore.Areas.Contains(a!)).WithMessage(x => Messages.Get(Messages.UnknownLexiconArea, x.Area, string.Join(", ", LexiconStore.Areas)))
            .When(x => x.Area is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.Zh).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "zh"));
        RuleFor(x => x.Ru).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "ru"));
        Forms(x => x.Zh!, x => x.Zh, Scripts.IsChinese, Messages.ChineseScript);
        Forms(x => x.Ru!, x => x.Ru, Scripts.IsRussian, Messages.RussianScript);
        Forms(x => x.En!, x => x.En, f => Scripts.Count(f) == (0, 0), Messages.BadValue);
    }

    void Forms(System.Linq.Expressions.Expression<Func<LexiconEntryRequest, IEnumerable<string>>> list, Func<LexiconEntryRequest, IReadOnlyList<string>?> value,
        Func<string, bool> script, string scriptMessage)
    {
        RuleFor(list).Must(l => l.Count() <= FormsMax).WithMessage(_ => Messages.Get(Messages.TooMany, FormsMax)).When(x => value(x) is not null);
        RuleForEach(list)
            .Must(f => !string.IsNullOrWhiteSpace(f)).WithMessage(_ => Messages.Get(Messages.Empty))
            .Must(f => f is null || f.Length <= FormMax && !f.Contains(';')).WithMessage(_ => Messages.Get(Messages.TooLong, FormMax))
            .Must(f => string.IsNullOrWhiteSpace(f) || script(f)).WithMessage(_ => Messages.Get(scriptMessage))
            .Must(f => !ControlCharacters.In(f)).WithMessage(_ => Messages.Get(Messages.ControlCharacters))
            .When(x => value(x) is not null, ApplyConditionTo.AllValidators);
    }
}
