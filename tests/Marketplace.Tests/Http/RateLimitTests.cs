using System.Net;
using System.Text.Json.Nodes;

namespace Marketplace.Tests.Http;

/// <summary>Requests beyond the limits answer 429 problem+json with Retry-After, per key, per address, and for key guessing.</summary>
public sealed class RateLimitTests
{
    static TestApp App(params (string Name, string Value)[] limits) =>
        new(settings: limits.ToDictionary(l => $"Marketplace:RateLimits:{l.Name}", l => l.Value));

    static async Task<HttpStatusCode[]> Codes(HttpClient client, string path, int count)
    {
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++) codes.Add((await client.GetAsync(path)).StatusCode);
        return codes.ToArray();
    }

    [Test]
    public async Task AKeyBeyondItsBurstGets429WithRetryAfterInItsLanguageWhileAnotherKeyIsServed()
    {
        using var app = App(("PerKeyPerSecond", "1"), ("PerKeyBurst", "5")); // the admin key makes four calls to set up
        var (_, first) = await app.OrganizationWithKey("agency");
        var (_, second) = await app.OrganizationWithKey("agency");
        first.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru");

        Assert.That(await Codes(first, "/api/v1/organizations", 5), Has.All.EqualTo(HttpStatusCode.OK));
        var limited = await first.GetAsync("/api/v1/organizations");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(int.Parse(limited.Headers.GetValues("Retry-After").Single()), Is.InRange(1, 60));
        var problem = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(429));
        Assert.That(problem["type"]!.GetValue<string>(), Does.Contain("rfc6585"));
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Слишком много запросов."));
        Assert.That((await second.GetAsync("/api/v1/organizations")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "limits are per key");
    }

    [Test]
    public async Task AnonymousCallersAreLimitedByAddressButHealthChecksNeverAre()
    {
        using var app = App(("AnonymousPerSecond", "1"), ("AnonymousBurst", "2"));
        var anonymous = app.Anonymous("zh");

        Assert.That(await Codes(anonymous, "/api/v1/taxonomy", 3), Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var problem = JsonNode.Parse(await (await anonymous.GetAsync("/api/v1/offers")).Content.ReadAsStringAsync())!;
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("请求过多。"));
        Assert.That(await Codes(anonymous, "/health/ready", 10), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That((await app.Admin().GetAsync("/api/v1/taxonomy")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a key has its own allowance");
    }

    [Test]
    public async Task GuessingKeysIsCutOffAfterAFewUnknownKeys()
    {
        using var app = App(("FailedKeysPerMinute", "3"));
        var guesses = Enumerable.Range(0, 5).Select(i => app.WithKey($"mk_guess-{i}")).ToList();

        var codes = new List<HttpStatusCode>();
        var retryAfter = new List<int>();
        foreach (var guess in guesses)
        {
            var response = await guess.GetAsync("/api/v1/offers");
            codes.Add(response.StatusCode);
            if (response.Headers.RetryAfter?.Delta is { } delta) retryAfter.Add((int)delta.TotalSeconds);
        }

        Assert.That(codes, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
        }));
        Assert.That(retryAfter, Has.Count.EqualTo(2).And.All.GreaterThan(30), "the unknown-key window is a minute: come back then, not in a second");
        Assert.That((await app.Admin().GetAsync("/api/v1/offers")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a valid key from the same address is served");
    }
}
