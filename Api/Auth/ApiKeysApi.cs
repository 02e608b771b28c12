using Dapper;
using FluentValidation;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Auth;

public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        group.MapPost("/", Create).AddEndpointFilter<ValidationFilter<ApiKeyRequest>>()
            .WithName("CreateApiKey")
            .WithSummary("Create a key; the key is shown only in this answer · 创建密钥（仅显示一次） · Создать ключ (показывается один раз)")
            .WithDescription("A key of an organization with a role (member, agency or admin). Only a hash is stored: store the key from this answer, it cannot be shown again. Admin only.")
            .ProducesValidationProblem();
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("List keys without their secrets · 密钥列表 · Список ключей")
            .WithDescription("Every key with its role, name, the first characters of its secret (to recognise it) and when it was created or revoked; a secret is never shown again. Admin only.");
        group.MapDelete("/{id}", Revoke).WithName("RevokeApiKey").WithSummary("Revoke a key · 吊销密钥 · Отозвать ключ")
            .WithDescription("The key stops working at once; it stays in the list with `revokedAt`. A key revoked already answers 404. Admin only.");
        return routes;
    }

    sealed record Row(string Id, string OrganizationId, string Role, string? Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
    {
        public ApiKeyResponse ToResponse() => new(Id, OrganizationId, Role, Name, Prefix, CreatedAt, RevokedAt);
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> Create(ApiKeyRequest body, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!await OrganizationsApi.ExistsAsync(connection, body.OrganizationId!, ct))
            return Problems.Validation("organizationId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("organization"), body.OrganizationId));
        var (row, key) = await InsertAsync(connection, body.OrganizationId!, body.Role!, body.Name, null, ct);
        return TypedResults.Created($"/api/v1/api-keys/{row.Id}", new CreatedApiKeyResponse(row.ToResponse(), key));
    }

    static async Task<(Row Row, string Key)> InsertAsync(
        System.Data.Common.DbConnection connection, string organizationId, string role, string? name, string? key, CancellationToken ct)
    {
        key ??= ApiKeys.NewKey();
        var row = new Row(ApiKeys.NewId("key_"), organizationId, role, name, ApiKeys.Prefix(key), DateTimeOffset.UtcNow, null);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (id, organization_id, role, name, key_hash, prefix, created_at)
            VALUES (@Id, @OrganizationId, @Role, @Name, @Hash, @Prefix, @CreatedAt)
            """,
            new { row.Id, row.OrganizationId, row.Role, row.Name, Hash = ApiKeys.Hash(key), row.Prefix, row.CreatedAt },
            cancellationToken: ct));
        return (row, key);
    }

    public static async Task<Ok<List<ApiKeyResponse>>> List(Db db,
        [System.ComponentModel.Description("Only the keys of this organization")] string? organizationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, organization_id, role, name, prefix, created_at, revoked_at FROM api_keys
            WHERE @organizationId IS NULL OR organization_id = @organizationId
            ORDER BY created_at, id
            """, new { organizationId }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r.ToResponse()).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string id, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = DateTimeOffset.UtcNow }, cancellationToken: ct));
        return rows == 0 ? Problems.NotFound("api key", id) : TypedResults.NoContent();
    }

    /// <summary>
    /// The configured bootstrap key becomes an admin key of the platform organization. Without one,
    /// the first start (no admin key yet) makes a key and prints it once.
    /// </summary>
    public static async Task BootstrapAsync(Db db, string? configuredKey, TextWriter console, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await OrganizationsApi.EnsurePlatformAsync(connection, ct);
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM api_keys WHERE key_hash = @hash", new { hash = ApiKeys.Hash(configuredKey.Trim()) }, cancellationToken: ct));
            if (known == 0) await InsertAsync(connection, OrganizationsApi.PlatformId, Roles.Admin, "bootstrap (configured)", configuredKey.Trim(), ct);
            return;
        }
        var admins = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL", cancellationToken: ct));
        if (admins > 0) return;
        var (_, key) = await InsertAsync(connection, OrganizationsApi.PlatformId, Roles.Admin, "bootstrap (generated)", null, ct);
        // Printed to the console once, never logged: it is the only copy.
        await console.WriteLineAsync($"""

            Bootstrap admin key (shown once; store it now, it cannot be shown again):
                {key}
            Use it in the X-Api-Key header, e.g. in Swagger UI's Authorize dialog.

            """);
    }
}

public sealed class ApiKeyValidator : AbstractValidator<ApiKeyRequest>
{
    public ApiKeyValidator()
    {
        RuleFor(x => x.OrganizationId).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "organizationId"))
            .MaximumLength(64).WithMessage(_ => Messages.Get(Messages.TooLong, 64)).NoControlCharacters();
        RuleFor(x => x.Role).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "role"))
            .Must(r => Taxonomy.Roles.Contains(r!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Role))
            .When(x => x.Role is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.Name!).MaximumLength(100).WithMessage(_ => Messages.Get(Messages.TooLong, 100)).NoControlCharacters()
            .When(x => x.Name is not null);
    }
}
