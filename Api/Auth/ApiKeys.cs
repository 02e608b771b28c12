using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Api.Auth;

/// <summary>
/// API keys are 256 random bits, so a plain SHA-256 of the key is enough to store: there is
/// nothing to brute-force that a slow password hash would protect.
/// </summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";
    const string KeyPrefix = "mk_";

    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>What lists show of a key: enough to recognise it, too little to use it.</summary>
    public static string Prefix(string key) => key.Length <= 8 ? "***" : key[..8];

    public static string NewId(string prefix) => prefix + Guid.CreateVersion7().ToString("N");

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class Roles
{
    public const string Member = "member";
    public const string Agency = "agency";
    public const string Admin = "admin";
}

public static class Policies
{
    /// <summary>Any valid key.</summary>
    public const string Member = "member";
    /// <summary>Agency or admin.</summary>
    public const string Agency = "agency";
    public const string Admin = "admin";
}

/// <summary>Who is calling, read from the claims the API-key handler set.</summary>
public sealed record Caller(string? OrganizationId, string? Role, IReadOnlySet<string> Clients)
{
    public const string OrganizationClaim = "org";
    /// <summary>One claim per client organization of an agency key's organization.</summary>
    public const string ClientClaim = "client";

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(OrganizationClaim), user.FindFirstValue(ClaimTypes.Role),
            user.FindAll(ClientClaim).Select(c => c.Value).ToHashSet());

    public bool IsAuthenticated => Role is not null;
    public bool IsAdmin => Role is Roles.Admin;

    /// <summary>
    /// Members act for their own organization; agencies for their own and for the clients an admin
    /// linked to them (and for no one else); admins for any.
    /// </summary>
    public bool CanActFor(string organizationId) =>
        IsAdmin || (IsAuthenticated && organizationId == OrganizationId) || (Role is Roles.Agency && Clients.Contains(organizationId));

    /// <summary>The organizations a member or agency key acts for: its own and, for an agency, its clients.</summary>
    public IReadOnlyCollection<string> ActsFor => OrganizationId is null ? [] : [OrganizationId, .. Role is Roles.Agency ? Clients : Enumerable.Empty<string>()];

    /// <summary>Reviewers of an organization's listings: the agencies that serve it, and admins.</summary>
    public bool CanReview(string organizationId) => IsAdmin || (Role is Roles.Agency && Clients.Contains(organizationId));
}
