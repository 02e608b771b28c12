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
            .WithDescription("An enterprise, institute, university, agency or government body with its profile; its keys are created with POST /api-keys. Admin only.")
            .ProducesValidationProblem();
        group.MapGet("/", List).RequireAuthorization(Policies.Agency)
            .WithName("ListOrganizations").WithSummary("List organizations: an agency's own and its clients; all for admins · 机构列表 · Список организаций")
            .WithDescription("An agency key lists its own organization and the clients it serves, with their contacts; an admin key every organization.");
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.Member)
            .WithName("GetOrganization").WithSummary("Get an organization: itself, its agencies and admins · 查看机构 · Организация")
            .WithDescription("Read by the organization's own keys, the agencies that serve it and admins; for anyone else it answers 404, as if it did not exist.");
        group.MapPut("/{id}", Update).RequireAuthorization(Policies.Member)
            .AddEndpointFilter<ValidationFilter<OrganizationRequest>>()
            .WithName("UpdateOrganization").WithSummary("Change an organization's profile · 修改机构资料 · Изменить профиль организации")
            .WithDescription("Replaces the profile (name, country, type, region, website, languages, contact), by the organization itself, an agency that serves it or an admin. Send If-Match with the ETag read.")
            .ProducesValidationProblem();
        group.MapGet("/{id}/clients", Clients).RequireAuthorization(Policies.Agency)
            .WithName("ListAgencyClients").WithSummary("The clients an agency serves · 中介机构的服务对象 · Клиенты посредника")
            .WithDescription("The organizations the agency acts for (its listings, interests and answers for them); read by the agency itself and admins.");
        group.MapPut("/{id}/clients/{clientId}", Link).RequireAuthorization(Policies.Admin)
            .WithName("AddAgencyClient").WithSummary("Make an organization an agency's client (admin) · 指定服务对象 · Назначить клиента посредника")
            .WithDescription("From now on the agency's keys act for the client. The agency must be of type `agency`; linking twice changes nothing.");
        group.MapDelete("/{id}/clients/{clientId}", Unlink).RequireAuthorization(Policies.Admin)
            .WithName("RemoveAgencyClient").WithSummary("End an agency's service for a client (admin) · 取消服务对象 · Отменить клиента посредника")
            .WithDescription("From the next request the agency's keys no longer act for the organization.");
        return routes;
    }

    const string Columns = "id, name, country, created_at, type, region, website, languages, contact, version, updated_at";

    sealed record Row(string Id, string Name, string? Country, DateTimeOffset CreatedAt, string? Type, string? Region, string? Website,
        string? Languages, string? Contact, long Version, DateTimeOffset? UpdatedAt)
    {
        /// <param name="withContact">Whether the caller may see the contact.</param>
        public OrganizationResponse ToResponse(bool withContact) =>
            new(Id, JsonSerializer.Deserialize<LocalizedText>(Name, JsonSerializerOptions.Web)!, Country, CreatedAt, Type, Region, Website,
                Languages is null ? [] : JsonSerializer.Deserialize<List<string>>(Languages, JsonSerializerOptions.Web)!,
                withContact && Contact is not null ? JsonSerializer.Deserialize<OrganizationContact>(Contact, JsonSerializerOptions.Web) : null,
                Version, UpdatedAt ?? CreatedAt);
    }

    static object Parameters(string id, OrganizationRequest body, DateTimeOffset now) => new
    {
        Id = id,
        Name = JsonSerializer.Serialize(body.Name, JsonSerializerOptions.Web),
        body.Country, body.Type,
        Region = string.IsNullOrWhiteSpace(body.Region) ? null : body.Region.Trim(),
        Website = string.IsNullOrWhiteSpace(body.Website) ? null : body.Website.Trim(),
        Languages = body.Languages is { Count: > 0 } languages ? JsonSerializer.Serialize(languages.Distinct(), JsonSerializerOptions.Web) : null,
        Contact = body.Contact is null ? null : JsonSerializer.Serialize(body.Contact, JsonSerializerOptions.Web),
        Now = now,
    };

    public static async Task<Created<OrganizationResponse>> Create(OrganizationRequest body, HttpResponse response, Db db, CancellationToken ct)
    {
        var id = ApiKeys.NewId("org_");
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO organizations (id, name, country, created_at, type, region, website, languages, contact, version, updated_at)
            VALUES (@Id, @Name, @Country, @Now, @Type, @Region, @Website, @Languages, @Contact, 1, @Now)
            """, Parameters(id, body, DateTimeOffset.UtcNow), cancellationToken: ct));
        var row = (await FindAsync(connection, id, ct))!;
        response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Created($"/api/v1/organizations/{row.Id}", row.ToResponse(withContact: true));
    }

    public static async Task<Ok<List<OrganizationResponse>>> List(HttpContext http, Db db, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM organizations ORDER BY created_at, id", cancellationToken: ct));
        // Everything the caller may act for: all for an admin, its own and its clients for an agency.
        return TypedResults.Ok(rows.Where(r => caller.CanActFor(r.Id)).Select(r => r.ToResponse(withContact: true)).ToList());
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Get(string id, HttpContext http, Db db,
        Workflow.WorkflowStore workflow, CancellationToken ct)
    {
        // Checked before the lookup, so that a member learns nothing of other organizations, not even whether they exist;
        // a counterpart of an introduction sees the other side, contact included.
        var caller = Caller.From(http.User);
        if (!caller.CanActFor(id) && !await workflow.IntroducedAsync(caller.ActsFor, id, ct)) return Problems.NotFound("organization", id);
        await using var connection = await db.OpenAsync(ct);
        var row = await FindAsync(connection, id, ct);
        if (row is null) return Problems.NotFound("organization", id);
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(row.ToResponse(withContact: true));
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Update(string id, OrganizationRequest body, HttpContext http, Db db,
        CancellationToken ct)
    {
        if (!Caller.From(http.User).CanActFor(id)) return Problems.NotFound("organization", id);
        await using var connection = await db.OpenAsync(ct);
        var current = await FindAsync(connection, id, ct);
        if (current is null) return Problems.NotFound("organization", id);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        var parameters = new DynamicParameters(Parameters(id, body, DateTimeOffset.UtcNow));
        parameters.Add("version", current.Version);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE organizations SET name = @Name, country = @Country, type = @Type, region = @Region, website = @Website,
                languages = @Languages, contact = @Contact, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @version
            """, parameters, cancellationToken: ct));
        // Someone changed it between the read and the write: the same answer as a stale If-Match.
        if (changed == 0) return Problems.PreconditionFailed($"\"{current.Version}\"", current.Version + 1);
        var row = (await FindAsync(connection, id, ct))!;
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        return TypedResults.Ok(row.ToResponse(withContact: true));
    }

    public static async Task<Results<Ok<List<OrganizationResponse>>, ProblemHttpResult>> Clients(string id, HttpContext http, Db db, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (!caller.IsAdmin && caller.OrganizationId != id) return Problems.NotFound("organization", id);
        await using var connection = await db.OpenAsync(ct);
        if (await FindAsync(connection, id, ct) is null) return Problems.NotFound("organization", id);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM organizations
            WHERE id IN (SELECT client_id FROM agency_clients WHERE agency_id = @id) ORDER BY created_at, id
            """, new { id }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r.ToResponse(withContact: true)).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Link(string id, string clientId, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var agency = await FindAsync(connection, id, ct);
        if (agency is null) return Problems.NotFound("organization", id);
        if (agency.Type != "agency") return Problems.Validation("type", Messages.Get(Messages.NotAnAgency, id));
        if (await FindAsync(connection, clientId, ct) is null) return Problems.NotFound("organization", clientId);
        if (clientId == id) return Problems.Validation("clientId", Messages.Get(Messages.OwnClient));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agency_clients (agency_id, client_id, created_at) VALUES (@id, @clientId, @now)
            ON CONFLICT (agency_id, client_id) DO NOTHING
            """, new { id, clientId, now = DateTimeOffset.UtcNow }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(string id, string clientId, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM agency_clients WHERE agency_id = @id AND client_id = @clientId", new { id, clientId }, cancellationToken: ct));
        return removed == 0 ? Problems.NotFound("agency client", $"{id}/{clientId}") : TypedResults.NoContent();
    }

    /// <summary>The organizations an agency serves.</summary>
    public static async Task<IReadOnlyList<string>> ClientsOfAsync(System.Data.Common.DbConnection connection, string agencyId, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT client_id FROM agency_clients WHERE agency_id = @agencyId", new { agencyId }, cancellationToken: ct))).ToList();

    static Task<Row?> FindAsync(System.Data.Common.DbConnection connection, string id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM organizations WHERE id = @id", new { id }, cancellationToken: ct));

    /// <summary>An organization's profile, with its contact when <paramref name="withContact"/>; null when there is none.</summary>
    public static async Task<OrganizationResponse?> ProfileAsync(System.Data.Common.DbConnection connection, string id, bool withContact, CancellationToken ct) =>
        (await FindAsync(connection, id, ct))?.ToResponse(withContact);

    public static async Task<bool> ExistsAsync(System.Data.Common.DbConnection connection, string id, CancellationToken ct) =>
        await FindAsync(connection, id, ct) is not null;

    /// <summary>The built-in organization that owns the bootstrap admin key.</summary>
    public static async Task EnsurePlatformAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        if (await ExistsAsync(connection, PlatformId, ct)) return;
        var name = new LocalizedText { Zh = "平台运营方", Ru = "Оператор платформы", En = "Platform operator" };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organizations (id, name, country, created_at, version, updated_at) VALUES (@Id, @Name, NULL, @CreatedAt, 1, @CreatedAt)",
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
        RuleFor(x => x.Type!).Must(t => Taxonomy.OrganizationTypeCodes.Contains(t)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Type))
            .When(x => x.Type is not null);
        RuleFor(x => x.Region!).MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => x.Region is not null);
        RuleFor(x => x.Website!).Must(IsWebAddress).WithMessage(_ => Messages.Get(Messages.WebAddress))
            .MaximumLength(500).WithMessage(_ => Messages.Get(Messages.TooLong, 500))
            .When(x => !string.IsNullOrWhiteSpace(x.Website));
        RuleForEach(x => x.Languages).Must(l => l is "zh" or "ru" or "en").WithMessage((_, l) => Messages.Get(Messages.UnknownCode, l));
        RuleFor(x => x.Contact!).Must(c => !string.IsNullOrWhiteSpace(c.Email) || !string.IsNullOrWhiteSpace(c.Phone))
            .WithMessage(_ => Messages.Get(Messages.ContactReach)).When(x => x.Contact is not null);
        RuleFor(x => x.Contact!.Person!).MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => x.Contact?.Person is not null);
        RuleFor(x => x.Contact!.Email!).Must(IsEmail).WithMessage(_ => Messages.Get(Messages.EmailAddress))
            .When(x => !string.IsNullOrWhiteSpace(x.Contact?.Email));
        RuleFor(x => x.Contact!.Phone!).Matches(@"^\+?[0-9][0-9 ()\-]{5,30}$").WithMessage(_ => Messages.Get(Messages.PhoneNumber))
            .When(x => !string.IsNullOrWhiteSpace(x.Contact?.Phone));
    }

    static bool IsWebAddress(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    static bool IsEmail(string text) =>
        text.Length <= 254 && System.Net.Mail.MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim() && address.Host.Contains('.');
}
