using Marketplace.Search;
using Marketplace.Search.Elasticsearch;

namespace Marketplace.Tests.Search;

/// <summary>Tests that need a live Elasticsearch node: they run when <c>MARKETPLACE_ES_URL</c> is set and say they skipped otherwise.</summary>
public sealed class ElasticsearchNode
{
    public const string Variable = "MARKETPLACE_ES_URL";

    [TestCase("listing_zh", "zh", "高扬程潜水泵的设备和技术")]
    [TestCase("listing_zh", "zh", "PLC控制器 S7-1200 Pumps")]
    [TestCase("listing_ru", "ru", "Насосы высокого напора для шахт и скважин")]
    [TestCase("listing_en", "en", "The pumps for deep wells")]
    public async Task ElasticsearchAnalyzesLikeTheEmbeddedEngine(string analyzer, string language, string text)
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(url)) Assert.Ignore($"Elasticsearch tests skipped: set {Variable} to a node's URL.");
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = url!, Index = "mp-analyze-" + Guid.NewGuid().ToString("N")[..12] });
        try
        {
            using var lucene = new TextAnalysis();
            Assert.That(await index.AnalyzeAsync(analyzer, text), Is.EqualTo(lucene.Tokens(language, text)));
        }
        finally
        {
            await index.DropAsync();
        }
    }
}
