using System.Text.Json;
using Dapper;
using FluentValidation;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Auth;

public static class OrganizationsApi
{
    public const string PlatformId = "platform";

    public static IEndpointRouteBuilder MapOrganizations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/organizations").WithTags("Organizations");
        group.MapPost("/", Create).RequireAuthorization(Policies.Admin)
            .AddEndpointFilter<ValidationFilter<OrganizationRequest>>()
            .WithName("CreateOrganization").WithSummary("Create an organization (admin) · 创建机构 · Создать организацию")
            .WithDescription("An enterprise, institute or agency that publishes listings; its keys are created with POST /api-keys. Admin only.")
            .ProducesValidationProblem();
        group.MapGet("/", List).RequireAuthorization(Policies.Agency)
            .WithName("ListOrganizations").WithSummary("List organizations (agency, admin) · 机构列表 · Список организаций")
            .WithDescription("Every organization with its names and country, for agencies acting for them and for admins.");
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.Member)
            .WithName("GetOrganization").WithSummary("Get an organization: its own members, agencies and admins · 查看机构 · Организация")
            .WithDescription("A member key reads only its own organization; another organization's record answers 404, as if it did not exist.");
        return routes;
    }

    sealed record Row(string Id, string Name, string? Country, DateTimeOffset CreatedAt)
    {
        public OrganizationResponse ToResponse() =>
            new(Id, JsonSerializer.Deserialize<LocalizedText>(Name, JsonSerializerOptions.Web)!, Country, CreatedAt);
    }

    public static async Task<Created<OrganizationResponse>> Create(OrganizationRequest body, Db db, CancellationToken ct)
    {
        var row = new Row(ApiKeys.NewId("org_"), JsonSerializer.Serialize(body.Name, JsonSerializerOptions.Web), body.Country, DateTimeOffset.UtcNow);
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organizations (id, name, country, created_at) VALUES (@Id, @Name, @Country, @CreatedAt)", row, cancellationToken: ct));
        return TypedResults.Created($"/api/v1/organizations/{row.Id}", row.ToResponse());
    }

    public static async Task<Ok<List<OrganizationResponse>>> List(Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, name, country, created_at FROM organizations ORDER BY created_at, id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r.ToResponse()).ToList());
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Get(string id, HttpContext http, Db db, CancellationToken ct)
    {
        // Checked before the lookup, so that a member learns nothing of other organizations, not even whether they exist.
        if (!Caller.From(http.User).CanActFor(id)) return Problems.NotFound("organization", id);
        await using var connection = await db.OpenAsync(ct);
        var row = await FindAsync(connection, id, ct);
        return row is null ? Problems.NotFound("organization", id) : TypedResults.Ok(row.ToResponse());
    }

    static Task<Row?> FindAsync(System.Data.Common.DbConnection connection, string id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, name, country, created_at FROM organizations WHERE id = @id", new { id }, cancellationToken: ct));

    public static async Task<bool> ExistsAsync(System.Data.Common.DbConnection connection, string id, CancellationToken ct) =>
        await FindAsync(connection, id, ct) is not null;

    /// <summary>The built-in organization that owns the bootstrap admin key.</summary>
    public static async Task EnsurePlatformAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        if (await ExistsAsync(connection, PlatformId, ct)) return;
        var name = new LocalizedText { Zh = "平台运营方", Ru = "Оператор платформы", En = "Platform operator" };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organizations (id, name, country, created_at) VALUES (@Id, @Name, NULL, @CreatedAt)",
            new { Id = PlatformId, Name = JsonSerializer.Serialize(name, JsonSerializerOptions.Web), CreatedAt = DateTimeOffset.UtcNow },
            cancellationToken: ct));
    }
}

public sealed class OrganizationValidator : AbstractValidator<OrganizationRequest>
{
    public OrganizationValidator()
    {
        // Required first, then checked only when present (a condition on the whole chain would switch "required" off too).
        RuleFor(x => x.Name).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "name"));
        RuleFor(x => x.Name!).Must(n => !string.IsNullOrWhiteSpace(n.Zh) || !string.IsNullOrWhiteSpace(n.Ru) || !string.IsNullOrWhiteSpace(n.En))
            .WithMessage(_ => Messages.Get(Messages.Required, "name")).When(x => x.Name is not null);
        RuleFor(x => x.Name!.Zh!).Must(Scripts.IsChinese).WithMessage(_ => Messages.Get(Messages.ChineseScript))
            .MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => !string.IsNullOrWhiteSpace(x.Name?.Zh));
        RuleFor(x => x.Name!.Ru!).Must(Scripts.IsRussian).WithMessage(_ => Messages.Get(Messages.RussianScript))
            .MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => !string.IsNullOrWhiteSpace(x.Name?.Ru));
        RuleFor(x => x.Name!.En!).MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => x.Name?.En is not null);
        RuleFor(x => x.Country!).Must(c => Countries.Codes.Contains(c)).WithMessage(_ => Messages.Get(Messages.CountryCode))
            .When(x => x.Country is not null);
    }
}
