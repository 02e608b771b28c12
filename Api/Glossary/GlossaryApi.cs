using FluentValidation;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Indexing;
using Marketplace.Api.Validation;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Glossary;

public static class GlossaryApi
{
    public static IEndpointRouteBuilder MapGlossary(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/glossary").WithTags("Glossary").RequireAuthorization(Policies.Agency);
        group.MapGet("/", List).WithName("ListGlossary")
            .WithSummary("List term pairs, by field or text · 术语表 · Глоссарий").ProducesValidationProblem()
            .WithDescription("The concepts matching uses to cross languages, shipped and curated, filtered by field or by a text in either language, paged.");
        group.MapGet("/{id}", Get).WithName("GetGlossaryTerm").WithSummary("Read a term pair · 查看术语 · Термин")
            .WithDescription("One concept with its Chinese and Russian names and synonyms; the ETag header carries its version for If-Match.");
        group.MapPost("/", Add).AddEndpointFilter<ValidationFilter<GlossaryTermRequest>>().WithName("AddGlossaryTerm")
            .WithSummary("Add a term pair; listings that mention it are re-indexed · 添加术语 · Добавить термин")
            .WithDescription("A Chinese name belongs to one concept only: a name another concept has answers 409 naming that concept.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id}", Replace).AddEndpointFilter<ValidationFilter<GlossaryTermRequest>>().WithName("UpdateGlossaryTerm")
            .WithSummary("Change a term pair; honours If-Match · 修改术语 · Изменить термин")
            .WithDescription("Replaces the names and synonyms; listings that mention the old or the new names are re-indexed. A Chinese name another concept has answers 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Remove).WithName("RemoveGlossaryTerm")
            .WithSummary("Remove a term pair · 删除术语 · Удалить термин")
            .WithDescription("Listings that mentioned it are re-indexed without the concept; honours If-Match.");
        return routes;
    }

    public static async Task<Results<Ok<Page<GlossaryTermResponse>>, ValidationProblem>> List(
        GlossaryStore store,
        [System.ComponentModel.Description("A field code of the taxonomy, or general")] string? field,
        [System.ComponentModel.Description("Text in Chinese or Russian found in a name or synonym")] string? q,
        [System.ComponentModel.Description("The nextCursor of the previous page")] string? cursor,
        [System.ComponentModel.Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        var (rows, total) = await store.ListAsync(field, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), offset, size, ct);
        var next = Cursors.Next(offset, rows.Count, total);
        return TypedResults.Ok(new Page<GlossaryTermResponse>(rows.Select(r => r.ToResponse()).ToList(), next, total));
    }

    public static async Task<Results<Ok<GlossaryTermResponse>, ProblemHttpResult>> Get(string id, GlossaryStore store, HttpContext http, CancellationToken ct)
    {
        var row = await store.FindAsync(id, ct);
        if (row is null) return Problems.NotFound("glossary term", id);
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Created<GlossaryTermResponse>, ProblemHttpResult>> Add(
        GlossaryTermRequest body, GlossaryStore store, GlossaryReloader reloader, ListingIndexer indexer, CancellationToken ct)
    {
        var (written, taken) = await store.AddAsync(body, ct);
        if (taken is not null) return NameTaken(taken);
        await reloader.ReloadAsync(ct);
        var reindexed = await indexer.ApplyGlossaryChangeAsync(written!.ChangeId);
        return TypedResults.Created($"/api/v1/glossary/{written.Row.Id}", written.Row.ToResponse(reindexed));
    }

    public static async Task<Results<Ok<GlossaryTermResponse>, ProblemHttpResult>> Replace(string id, GlossaryTermRequest body,
        GlossaryStore store, GlossaryReloader reloader, ListingIndexer indexer, HttpContext http, CancellationToken ct)
    {
        var current = await store.FindAsync(id, ct);
        if (current is null) return Problems.NotFound("glossary term", id);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        var (written, taken) = await store.ReplaceAsync(current, body, ct);
        if (taken is not null) return NameTaken(taken);
        if (written is null) return Problems.PreconditionFailed($"\"{current.Version}\"", current.Version + 1);
        await reloader.ReloadAsync(ct);
        var reindexed = await indexer.ApplyGlossaryChangeAsync(written.ChangeId);
        http.Response.Headers.ETag = $"\"{written.Row.Version}\"";
        return TypedResults.Ok(written.Row.ToResponse(reindexed));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(string id, GlossaryStore store, GlossaryReloader reloader,
        ListingIndexer indexer, HttpContext http, CancellationToken ct)
    {
        var current = await store.FindAsync(id, ct);
        if (current is null) return Problems.NotFound("glossary term", id);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        if (await store.RemoveAsync(current, ct) is not { } change) return Problems.PreconditionFailed($"\"{current.Version}\"", current.Version + 1);
        await reloader.ReloadAsync(ct);
        await indexer.ApplyGlossaryChangeAsync(change);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult NameTaken(GlossaryStore.NameTaken taken) =>
        Problems.Conflict(Messages.Get(Messages.GlossaryNameTaken, taken.Name, taken.ConceptId));
}

public sealed class GlossaryTermValidator : AbstractValidator<GlossaryTermRequest>
{
    const int NameMax = 100;

    public GlossaryTermValidator()
    {
        RuleFor(x => x.Field).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "field"))
            .Must(f => f == "general" || Taxonomy.FieldCodes.Contains(f!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Field))
            .When(x => x.Field is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.Zh).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "zh"));
        RuleFor(x => x.Ru).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "ru"));
        RuleFor(x => x.Zh!).Must(Scripts.IsChinese).WithMessage(_ => Messages.Get(Messages.ChineseScript))
            .MaximumLength(NameMax).WithMessage(_ => Messages.Get(Messages.TooLong, NameMax)).NoControlCharacters()
            .When(x => !string.IsNullOrWhiteSpace(x.Zh));
        RuleFor(x => x.Ru!).Must(Scripts.IsRussian).WithMessage(_ => Messages.Get(Messages.RussianScript))
            .MaximumLength(NameMax).WithMessage(_ => Messages.Get(Messages.TooLong, NameMax)).NoControlCharacters()
            .When(x => !string.IsNullOrWhiteSpace(x.Ru));
        // Synonyms may be Latin abbreviations (PLC, CVD) in either language, as in the shipped glossary.
        RuleForEach(x => x.ZhSynonyms).Must(s => !string.IsNullOrWhiteSpace(s) && s.Length <= NameMax && !s.Contains(';'))
            .WithMessage(_ => Messages.Get(Messages.TooLong, NameMax))
            .Must(s => s is null || Scripts.IsChineseKeyword(s)).WithMessage(_ => Messages.Get(Messages.ChineseScript))
            .NoControlCharacters();
        RuleForEach(x => x.RuSynonyms).Must(s => !string.IsNullOrWhiteSpace(s) && s.Length <= NameMax && !s.Contains(';'))
            .WithMessage(_ => Messages.Get(Messages.TooLong, NameMax))
            .Must(s => s is null || Scripts.IsRussianKeyword(s)).WithMessage(_ => Messages.Get(Messages.RussianScript))
            .NoControlCharacters();
        RuleFor(x => x.Zh!).Must(s => !s.Contains(';')).WithMessage(_ => Messages.Get(Messages.BadValue)).When(x => x.Zh is not null);
        RuleFor(x => x.Ru!).Must(s => !s.Contains(';')).WithMessage(_ => Messages.Get(Messages.BadValue)).When(x => x.Ru is not null);
    }
}
