using System.Diagnostics;
using System.Net;
using System.Text;
using Marketplace.Client;
using Marketplace.Client.Generated.Models;

namespace Marketplace.Tests.Clients;

/// <summary>
/// The .NET client (<c>Client/</c>) against the real API in-process: generated calls, problems as typed
/// exceptions with localized messages, ETags, retries that honour Retry-After, and bulk upload from a
/// stream with progress. Every answer is also checked against the document (<see cref="ResponseSchemas"/>).
/// </summary>
public sealed class MarketplaceClientTests
{
    static MarketplaceClient ClientOf(TestApp app, string? key = TestApp.AdminKey, string? language = null, int maxRetries = 3,
        Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        HttpMessageHandler handler = new ResponseSchemas { InnerHandler = app.Server.CreateHandler() };
        if (wrap is not null) handler = wrap(handler);
        return new MarketplaceClient(new Uri("http://localhost"),
            new MarketplaceClientOptions { ApiKey = key, Language = language, MaxRetries = maxRetries, RetryDelaySeconds = 1 }, handler);
    }

    static ListingRequest RussianPump(string externalRef) => new()
    {
        ExternalRef = externalRef,
        Title = new LocalizedText { Ru = "Насос высокого напора для шахтного водоотлива" },
        Description = new LocalizedText { Ru = "Погружной насос высокого напора для водоотлива шахт и глубоких скважин, напор до 300 м." },
        Field = FieldCode.TransportMachinery,
        Trl = 8,
        CooperationForms = [CooperationForm.Licensing, CooperationForm.CoProduction],
        Country = CountryCode.RU,
        Region = "Новосибирская область",
    };

    static ListingRequest ChinesePump(string externalRef) => new()
    {
        ExternalRef = externalRef,
        Title = new LocalizedText { Zh = "高扬程潜水泵" },
        Description = new LocalizedText { Zh = "适用于深井供水和矿山排水的高扬程潜水泵，扬程可达三百米。" },
        Field = FieldCode.TransportMachinery,
        Trl = 6,
        CooperationForms = [CooperationForm.JointRnd],
        Country = CountryCode.CN,
    };

    [Test]
    public async Task ARussianOfferPublishedThroughTheClientIsTheFirstMatchOfAChineseNeed()
    {
        using var app = new TestApp();
        using var client = ClientOf(app);
        var offer = await client.PublishAsync(ListingKind.Offer, RussianPump("ru-pump"));
        var need = await client.PublishAsync(ListingKind.Need, ChinesePump("zh-pump"));
        Assert.That((offer.Value.Kind, offer.Value.Country, offer.Value.CooperationForms),
            Is.EqualTo((ListingKind.Offer, CountryCode.RU, new List<CooperationForm?> { CooperationForm.Licensing, CooperationForm.CoProduction })));

        var matches = await client.V1.Needs[need.Value.Id].Matches.GetAsync(c => c.QueryParameters.Explain = true);
        var first = matches!.Items![0];
        Assert.That(first.Listing!.Id, Is.EqualTo(offer.Value.Id));
        Assert.That(first.Score, Is.GreaterThan(0));
        Assert.That(first.Explanation?.TranslatedTerms, Is.Not.Empty, "a Chinese need finds a Russian offer through translated terms");

        // Typed filters reach the server as its codes: no offer from China.
        var filtered = await client.V1.Needs[need.Value.Id].Matches.GetAsync(c => c.QueryParameters.Country = CountryCode.CN);
        Assert.That(filtered!.Items, Is.Empty);
    }

    [Test]
    public async Task ProblemsAreTypedExceptionsInTheCallersLanguage()
    {
        using var app = new TestApp();
        using var chinese = ClientOf(app, language: "zh");
        var untitled = RussianPump("no-title");
        untitled.Title = null;
        var invalid = (await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => chinese.V1.Offers.PostAsync(untitled)))!;
        Assert.That(invalid.ResponseStatusCode, Is.EqualTo(400));
        Assert.That(invalid.MemberErrors["title"], Is.EqualTo(new[] { "必须填写“title”。" }));
        Assert.That(invalid.ToString(), Does.Contain("title: 必须填写“title”。"));

        using var russian = ClientOf(app, language: "ru");
        var missing = (await Assert.ThrowsAsync<ProblemDetails>(() => russian.GetListingAsync(ListingKind.Need, "nd_missing")))!;
        Assert.That((missing.ResponseStatusCode, missing.Message), Is.EqualTo((404, "Не найдено: запрос с id «nd_missing».")));
        Assert.That(missing.TraceId, Is.Not.Null.And.Not.Empty);

        using var stranger = ClientOf(app, key: "mk_unknown-key-of-nobody-000000000000", language: "en");
        var refused = (await Assert.ThrowsAsync<ProblemDetails>(() => stranger.PublishAsync(ListingKind.Offer, RussianPump("x"))))!;
        Assert.That((refused.ResponseStatusCode, refused.Message), Is.EqualTo((401, "The key in X-Api-Key is unknown or revoked.")));
    }

    [Test]
    public async Task AChangeCarriesTheETagAndAStaleOneIsRefused()
    {
        using var app = new TestApp();
        using var client = ClientOf(app, language: "en");
        var created = await client.PublishAsync(ListingKind.Offer, RussianPump("etag"));
        Assert.That(created.ETag, Is.EqualTo("\"1\""));
        var read = await client.GetListingAsync(ListingKind.Offer, created.Value.Id!);
        Assert.That(read.ETag, Is.EqualTo("\"1\""));

        var change = RussianPump("etag");
        change.Trl = 9;
        var updated = await client.UpdateListingAsync(ListingKind.Offer, read.Value.Id!, change, read.ETag);
        Assert.That((updated.Value.Trl, updated.Value.Version, updated.ETag), Is.EqualTo((9, 2L, "\"2\"")));

        // Someone else's change was made from version 1: refused, and nothing changes.
        change.Trl = 4;
        var stale = (await Assert.ThrowsAsync<ProblemDetails>(() => client.UpdateListingAsync(ListingKind.Offer, read.Value.Id!, change, read.ETag)))!;
        Assert.That(stale.ResponseStatusCode, Is.EqualTo(412));
        Assert.That(stale.Message, Does.Contain("current version is 2"));
        Assert.That(stale.Title, Is.EqualTo("The listing has changed."));
        var archive = (await Assert.ThrowsAsync<ProblemDetails>(() => client.ArchiveListingAsync(ListingKind.Offer, read.Value.Id!, read.ETag)))!;
        Assert.That(archive.ResponseStatusCode, Is.EqualTo(412));
        Assert.That((await client.GetListingAsync(ListingKind.Offer, read.Value.Id!)).Value.Trl, Is.EqualTo(9));

        await client.ArchiveListingAsync(ListingKind.Offer, read.Value.Id!, updated.ETag);
        Assert.That((await client.GetListingAsync(ListingKind.Offer, read.Value.Id!)).Value.Status, Is.EqualTo(ListingState.Archived));
    }

    [Test]
    public async Task TooManyRequestsAreRetriedAfterTheirRetryAfter()
    {
        // One request a second for a key: the second and third wait for the window the 429 names.
        using var app = new TestApp(settings: new Dictionary<string, string>
        {
            ["Marketplace:RateLimits:PerKeyPerSecond"] = "1", ["Marketplace:RateLimits:PerKeyBurst"] = "1",
        });
        using var patient = ClientOf(app, maxRetries: 3);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
            Assert.That((await patient.V1.Taxonomy.GetAsync())!.Fields, Is.Not.Empty);
        Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1.5)), "two of the three waited about a second each");

        using var impatient = ClientOf(app, language: "ru", maxRetries: 0);
        var refused = (await Assert.ThrowsAsync<ProblemDetails>(async () =>
        {
            // The first may still find the second's token; one of the next ones cannot.
            for (var i = 0; i < 5; i++) await impatient.V1.Taxonomy.GetAsync();
        }))!;
        Assert.That(refused.ResponseStatusCode, Is.EqualTo(429));
        Assert.That(refused.Title, Is.EqualTo("Слишком много запросов."));
        Assert.That(refused.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task AnUnavailableAnswerIsRetried()
    {
        using var app = new TestApp();
        var unavailable = 2;
        using var client = ClientOf(app, maxRetries: 3, wrap: inner => new Answering(inner, () => Interlocked.Decrement(ref unavailable) >= 0
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : null));
        var taxonomy = await client.V1.Taxonomy.GetAsync();
        Assert.That(taxonomy!.Fields, Is.Not.Empty);
        Assert.That(unavailable, Is.LessThan(0), "both 503 answers were seen and retried");
    }

    [Test]
    public async Task AStreamIsUploadedInBatchesWithProgressAndBadLinesNamedByTheirLineInTheStream()
    {
        using var app = new TestApp();
        using var client = ClientOf(app, language: "zh");
        var lines = new List<string>();
        for (var i = 1; i <= 25; i++)
            lines.Add(i == 7
                ? """{"externalRef":"bad-7","title":{"zh":"x"},"description":{"zh":"缺少领域"},"trl":5,"cooperationForms":["licensing"],"country":"CN"}"""
                : $$"""{"externalRef":"pump-{{i}}","title":{"ru":"Погружной насос №{{i}}"},"description":{"ru":"Насос для водоотлива шахт."},"field":"transport-machinery","trl":7,"cooperationForms":["licensing"],"country":"RU"}""");
        var ndjson = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var reports = new List<BulkProgress>();
        var progress = new Recorder(reports);

        var result = await client.UploadAsync(ListingKind.Offer, new MemoryStream(ndjson), new BulkUploadOptions { BatchLines = 10 }, progress);

        Assert.That(reports.Select(r => r.Lines), Is.EqualTo(new long[] { 10, 20, 25 }));
        Assert.That((result.Lines, result.Created, result.Failed), Is.EqualTo((25L, 24L, 1L)));
        var error = result.Errors.Single();
        Assert.That((error.Line, error.ExternalRef), Is.EqualTo((7L, "bad-7")));
        Assert.That(error.Problem!.MemberErrors["field"], Is.EqualTo(new[] { "必须填写“field”。" }));

        // The same stream again, resumed after line 20: only the last five, unchanged.
        var again = await client.UploadAsync(ListingKind.Offer, new MemoryStream(ndjson), new BulkUploadOptions { BatchLines = 10, SkipLines = 20 });
        Assert.That((again.Lines, again.Created, again.Unchanged), Is.EqualTo((25L, 0L, 5L)));
        var page = await client.V1.Offers.GetAsync(c => c.QueryParameters.Limit = 100);
        Assert.That(page!.Total, Is.EqualTo(24));
    }

    [Test]
    public async Task ABatchWhoseConnectionFailedIsSentAgainAndARefusedOneSaysWhereToResume()
    {
        using var app = new TestApp();
        var failures = 1;
        using var flaky = ClientOf(app, wrap: inner => new Answering(inner, () => Interlocked.Decrement(ref failures) >= 0
            ? throw new HttpRequestException("connection reset (injected)") : null));
        var ndjson = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(1, 4).Select(i =>
            $$"""{"externalRef":"n-{{i}}","title":{"zh":"高扬程潜水泵{{i}}"},"description":{"zh":"矿山排水。"},"field":"transport-machinery","trl":6,"cooperationForms":["joint-rnd"],"country":"CN"}""")));
        var result = await flaky.UploadAsync(ListingKind.Need, new MemoryStream(ndjson), new BulkUploadOptions { BatchLines = 2 });
        Assert.That((result.Lines, result.Created), Is.EqualTo((4L, 4L)), "the failed batch was sent again, once stored");

        using var member = ClientOf(app, key: "mk_unknown-key-of-nobody-000000000000");
        var stopped = (await Assert.ThrowsAsync<BulkUploadException>(() => member.UploadAsync(ListingKind.Need, new MemoryStream(ndjson))))!;
        Assert.That(stopped.LinesDone, Is.Zero);
        Assert.That(stopped.InnerException, Is.InstanceOf<ProblemDetails>().With.Property("ResponseStatusCode").EqualTo(401));
    }

    [Test]
    public async Task ASearchWhileTheEngineIsAwayIsATypedProblemWithItsRetryAfter()
    {
        var failing = new FailingIndex { ReadsDown = true };
        using var app = failing.App();
        using var client = ClientOf(app, language: "zh", maxRetries: 0);
        var unavailable = (await Assert.ThrowsAsync<ProblemDetails>(() => client.V1.Offers.GetAsync(c => c.QueryParameters.Q = "潜水泵")))!;
        Assert.That((unavailable.ResponseStatusCode, unavailable.RetryAfter), Is.EqualTo((503, (TimeSpan?)TimeSpan.FromSeconds(5))));
        Assert.That(unavailable.Message, Does.StartWith("搜索引擎暂时无响应"));
        Assert.That(unavailable.ToString(), Does.StartWith("Marketplace.Client.Generated.Models.ProblemDetails: 503 "));
    }

    [Test]
    public async Task LinesAreNumberedAsTheServerCountsThemThroughCarriageReturnsBlankLinesAndAResume()
    {
        using var app = new TestApp();
        var failures = 1;
        // A proxy's 502 on the first batch: sent again (the lines upsert), not a stop.
        using var client = ClientOf(app, wrap: inner => new Answering(inner, () => Interlocked.Decrement(ref failures) >= 0
            ? new HttpResponseMessage(HttpStatusCode.BadGateway) : null));
        static string Pump(int i) =>
            $$"""{"externalRef":"cr-{{i}}","title":{"ru":"Насос №{{i}}"},"description":{"ru":"Насос для водоотлива шахт."},"field":"transport-machinery","trl":7,"cooperationForms":["licensing"],"country":"RU"}""";
        // Windows line ends, a blank line 3, a carriage return inside line 5 (JSON whitespace), a bad TRL on line 6.
        var text = Pump(1) + "\r\n" + Pump(2) + "\r\n" + "\r\n" + Pump(4) + "\r\n" + Pump(5).Replace(",\"trl\"", ",\r\"trl\"") + "\r\n"
                   + Pump(6).Replace("\"trl\":7", "\"trl\":12") + "\r\n" + Pump(7) + "\r\n";
        var ndjson = Encoding.UTF8.GetBytes(text);

        var result = await client.UploadAsync(ListingKind.Offer, new MemoryStream(ndjson), new BulkUploadOptions { BatchLines = 2 });
        Assert.That((result.Lines, result.Created, result.Failed), Is.EqualTo((7L, 5L, 1L)));
        Assert.That(result.Errors.Select(e => (e.Line, e.ExternalRef)), Is.EqualTo(new[] { (6L, "cr-6") }));
        Assert.That(failures, Is.LessThan(0), "the 502 was answered and the batch sent again");

        var resumed = await client.UploadAsync(ListingKind.Offer, new MemoryStream(ndjson), new BulkUploadOptions { BatchLines = 2, SkipLines = 4 });
        Assert.That((resumed.Lines, resumed.Unchanged, resumed.Failed), Is.EqualTo((7L, 2L, 1L)));
        Assert.That(resumed.Errors.Single().Line, Is.EqualTo(6L));
    }

    /// <summary>Answers some requests itself (or throws) before the server sees them.</summary>
    sealed class Answering(HttpMessageHandler inner, Func<HttpResponseMessage?> answer) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            answer() is { } response ? Task.FromResult(Respond(response, request)) : base.SendAsync(request, ct);

        static HttpResponseMessage Respond(HttpResponseMessage response, HttpRequestMessage request)
        {
            response.RequestMessage = request;
            return response;
        }
    }

    /// <summary>Records each report as it is made (Progress&lt;T&gt; would post them later, elsewhere).</summary>
    sealed class Recorder(List<BulkProgress> reports) : IProgress<BulkProgress>
    {
        public void Report(BulkProgress value) => reports.Add(value);
    }
}
