using Marketplace.Search;
using Marketplace.Search.Elasticsearch;
using static Marketplace.Tests.Search.ElasticsearchProtocolTests;

namespace Marketplace.Tests.Search;

/// <summary>
/// The versioned indices behind the alias, against a scripted node whose indices change as a cluster's
/// would (<see cref="ScriptedIndices"/>): replicas racing to create the first one.
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
}
