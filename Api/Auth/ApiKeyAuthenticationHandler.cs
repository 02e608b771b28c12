using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using Marketplace.Api.Http;
using Marketplace.Api.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Auth;

/// <summary>Authenticates <c>X-Api-Key</c> against the stored key hashes; no header means an anonymous caller.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Db db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    const string InvalidKeyItem = "marketplace.invalid-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return AuthenticateResult.NoResult();

        await using var connection = await db.OpenAsync(Context.RequestAborted);
        var key = await connection.QuerySingleOrDefaultAsync<(string Id, string OrganizationId, string Role)?>(
            new CommandDefinition(
                """
                SELECT id, organization_id, role FROM api_keys
                WHERE key_hash = @hash AND revoked_at IS NULL
                """,
                new { hash = ApiKeys.Hash(values.ToString().Trim()) }, cancellationToken: Context.RequestAborted));
        if (key is null)
        {
            Context.Items[InvalidKeyItem] = true;
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.Value.Id),
                new Claim(Caller.OrganizationClaim, key.Value.OrganizationId),
                new Claim(ClaimTypes.Role, key.Value.Role),
            ], SchemeName);
        // An agency acts for its clients: read with the key, so that a link or unlink holds from the next request.
        if (key.Value.Role == Roles.Agency)
            foreach (var client in await OrganizationsApi.ClientsOfAsync(connection, key.Value.OrganizationId, Context.RequestAborted))
                identity.AddClaim(new Claim(Caller.ClientClaim, client));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Write(StatusCodes.Status401Unauthorized,
            Messages.Get(Context.Items.ContainsKey(InvalidKeyItem) ? Messages.InvalidKeyDetail : Messages.UnauthorizedDetail));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Write(StatusCodes.Status403Forbidden, Messages.Get(Messages.ForbiddenDetail));

    async Task Write(int status, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{ApiKeys.Header}\"";
        await Problems.WriteAsync(Context, new() { Status = status, Title = Messages.TitleFor(status), Detail = detail });
    }

    /// <summary>True when the request carried a key that is unknown or revoked.</summary>
    public static bool SentInvalidKey(HttpContext context) => context.Items.ContainsKey(InvalidKeyItem);

    /// <summary>A key that was sent but is unknown answers 401 even on a call anonymous callers may make.</summary>
    public static async Task RejectInvalidKeys(HttpContext context, Func<Task> next)
    {
        if (SentInvalidKey(context))
        {
            await context.ChallengeAsync(SchemeName);
            return;
        }
        await next();
    }
}
