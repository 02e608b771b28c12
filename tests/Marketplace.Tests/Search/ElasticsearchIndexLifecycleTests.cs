using System.Runtime.CompilerServices;
using Marketplace.Search;
using Marketplace.Search.Elasticsearch;
using static Marketplace.Tests.Search.ElasticsearchProtocolTests;

namespace Marketplace.Tests.Search;

/// <summary>
/// The versioned indices behind the alias, against a scripted node whose indices change as a cluster's
/// would (<see cref="ScriptedIndices"/>): replicas racing to create the first one, rebuilds that find
/// what an earlier one left, and rebuilds that fail or are cancelled half way.
/// </summary>
public sealed class ElasticsearchIndexLifecycleTests
{
    static ScriptedNode Node(ScriptedIndices indices, Func<string, string, string, (int, string)?>? script = null) =>
        new((m, p, b) => script?.Invoke(m, p, b) ?? indices.Answer(m, p, b) ?? Cluster(m, p));

    static Task<ElasticsearchListingIndex> OpenAsync(ScriptedNode node) =>
        ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

    [Test]
    public async Task AReplicaThatLosesTheRaceToCreateTheFirstIndexOpensOnTheWinnersIndex()
    {
        // The alias was missing when this replica looked; another replica created listings-v1 with it right after.
        var indices = new ScriptedIndices(("listings-v1", true));
        var looked = 0;
        using var node = Node(indices, (m, p, _) => m == "GET" && p == "/_alias/listings" && Interlocked.Increment(ref looked) == 1
            ? (404, """{"error":"alias [listings] missing","status":404}""")
            : null);

        using var index = await OpenAsync(node);

        Assert.That(node.Requests.Single(r => r.Method == "PUT").Path, Is.EqualTo("/listings-v1"));
        Assert.That(indices.Aliased, Is.EqualTo(new[] { "listings-v1" }));
    }

    [Test]
    public async Task AnotherRefusalOfTheFirstIndexIsAnError()
    {
        var indices = new ScriptedIndices();
        using var node = Node(indices, (m, p, _) => m == "PUT"
            ? (400, """{"error":{"root_cause":[{"type":"invalid_alias_name_exception","reason":"Invalid alias name [listings]: an index or data stream exists with the same name as the alias"}],"type":"invalid_alias_name_exception","reason":"Invalid alias name [listings]: an index or data stream exists with the same name as the alias"},"status":400}""")
            : null);

        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => OpenAsync(node));

        Assert.That(error!.Message, Does.Contain("invalid_alias_name_exception"));
    }

    [Test]
    public async Task AFirstIndexTheAliasDoesNotPointAtIsNamedWithTheFix()
    {
        var indices = new ScriptedIndices(("listings-v1", false));
        using var node = Node(indices);

        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => OpenAsync(node));

        Assert.That(error!.Message, Does.Contain("listings-v1").And.Contain("DELETE /listings-v1"));
    }

    [Test]
    public async Task ARebuildDeletesWhatAnEarlierRebuildLeftAndNumbersTheNewIndexAboveEveryOne()
    {
        // listings-v3: a rebuild that failed before its swap; listings-vintage matches the wildcard but is no versioned index.
        var indices = new ScriptedIndices(("listings-v2", true), ("listings-v3", false), ("listings-vintage", false));
        using var node = Node(indices);
        using var index = await OpenAsync(node);

        var write = await index.RebuildAsync(Documents("a", "b"));

        Assert.That(write.Indexed, Is.EqualTo(2));
        Assert.That(indices.Aliased, Is.EqualTo(new[] { "listings-v4" }));
        Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v4", "listings-vintage" }));
        var changes = node.Requests.Where(r => r.Method is "PUT" or "DELETE").Select(r => $"{r.Method} {r.Path}");
        Assert.That(changes, Is.EqualTo(new[] { "DELETE /listings-v3", "PUT /listings-v4", "DELETE /listings-v2" }));
        var listing = node.Requests.Single(r => r.Path.StartsWith("/listings-v*/_alias")).Path;
        Assert.That(listing, Does.Contain("expand_wildcards=all").And.Contain("allow_no_indices=true"));
    }

    [Test]
    public async Task AFailedRebuildDeletesItsIndexAndTheAliasStaysOnTheOldOne()
    {
        var indices = new ScriptedIndices(("listings-v1", true));
        using var node = Node(indices, (_, p, body) => p.StartsWith("/_bulk") && body.Contains("listings-v2")
            ? (200, """{"took":3,"errors":true,"items":[{"index":{"_index":"listings-v2","_id":"a","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}]}""")
            : null);
        using var index = await OpenAsync(node);

        await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => index.RebuildAsync(Documents("a")));

        Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v1" }), "listings-v2 deleted on the way out");
        Assert.That(indices.Aliased, Is.EqualTo(new[] { "listings-v1" }));
        Assert.That(node.Requests.Where(r => r.Path == "/_aliases"), Is.Empty);
    }

    [Test]
    public async Task ACancelledRebuildDeletesItsIndexAndTheAliasStaysOnTheOldOne()
    {
        var indices = new ScriptedIndices(("listings-v1", true));
        using var node = Node(indices);
        using var index = await OpenAsync(node);
        using var stop = new CancellationTokenSource();

        await Assert.ThatAsync(() => index.RebuildAsync(CancelledAfterOne(stop), stop.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(node.Requests.Any(r => r.Method == "PUT" && r.Path == "/listings-v2"), "the rebuild had made its index");
        Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v1" }));
        Assert.That(indices.Aliased, Is.EqualTo(new[] { "listings-v1" }));
    }

    [TestCase(true, TestName = "A swap answered with an error but applied is a success")]
    [TestCase(false, TestName = "A swap answered with an error and not applied fails the rebuild")]
    public async Task WhereTheAliasPointsDecidesASwapAnsweredWithAnError(bool applied)
    {
        var indices = new ScriptedIndices(("listings-v1", true));
        using var node = Node(indices, (m, p, b) =>
        {
            if (p != "/_aliases") return null;
            if (applied) indices.Answer(m, p, b);
            return (500, """{"error":{"type":"process_cluster_event_timeout_exception","reason":"failed to process cluster event within 30s"},"status":500}""");
        });
        using var index = await OpenAsync(node);

        if (applied)
        {
            var write = await index.RebuildAsync(Documents("a"));
            Assert.That(write.Indexed, Is.EqualTo(1), "the caller goes on to re-send what changed during the rebuild");
            Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v2" }), "the index searches now read is kept, the old one deleted");
        }
        else
        {
            await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => index.RebuildAsync(Documents("a")));
            Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v1" }), "listings-v2 deleted on the way out");
        }
        Assert.That(indices.Aliased, Is.EqualTo(new[] { applied ? "listings-v2" : "listings-v1" }));
    }

    [Test]
    public async Task AnOldIndexThatCannotBeDeletedAfterTheSwapLeavesTheRebuildDone()
    {
        var indices = new ScriptedIndices(("listings-v1", true));
        using var node = Node(indices, (m, p, _) => m == "DELETE" && p == "/listings-v1"
            ? (503, """{"error":{"type":"cluster_block_exception","reason":"blocked by: [SERVICE_UNAVAILABLE/2/no master];"},"status":503}""")
            : null);
        using var index = await OpenAsync(node);

        var write = await index.RebuildAsync(Documents("a"));

        Assert.That(write.Indexed, Is.EqualTo(1), "the caller goes on to re-send what changed during the rebuild");
        Assert.That(indices.Aliased, Is.EqualTo(new[] { "listings-v2" }));
        Assert.That(indices.Names, Is.EqualTo(new[] { "listings-v1", "listings-v2" }), "listings-v1 waits for the next rebuild");
    }

    static async IAsyncEnumerable<ListingDocument> Documents(params string[] ids)
    {
        foreach (var id in ids) yield return Doc(id);
        await Task.CompletedTask;
    }

    static async IAsyncEnumerable<ListingDocument> CancelledAfterOne(CancellationTokenSource stop, [EnumeratorCancellation] CancellationToken ct = default)
    {
        yield return Doc("a");
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
        yield return Doc("b");
    }

    static ListingDocument Doc(string id) => new(id, "offer", "org", "published", "new-energy", 7, "RU", ["licensing"],
        new Dictionary<string, LanguageText> { ["ru"] = new("Насос", "Насос.", []) }, DateTimeOffset.UtcNow, ["ne-1"], 1);
}
