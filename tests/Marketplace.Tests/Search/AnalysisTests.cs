using Marketplace.Search;

namespace Marketplace.Tests.Search;

/// <summary>What the per-language analyzers make of technical text.</summary>
public sealed class AnalysisTests
{
    static readonly TextAnalysis Analysis = new();

    static IReadOnlyList<string> Tokens(string language, string text) => Analysis.Tokens(language, text);

    [TestCase("高扬程潜水泵", new[] { "高", "扬程", "潜", "水泵" })]
    [TestCase("矿山排水", new[] { "矿山", "排水" })]
    public void SmartCnSegmentsChinese(string text, string[] expected) => Assert.That(Tokens("zh", text), Is.EqualTo(expected));

    [Test]
    public void ChineseParticlesAreStopWords()
    {
        var tokens = Tokens("zh", "我们的设备和技术");
        Assert.That(tokens, Does.Not.Contain("的").And.Not.Contain("和").And.Not.Contain("我们"));
        Assert.That(tokens, Does.Contain("设备").And.Contain("技术"));
    }

    [TestCase("насосы", "насос")]
    [TestCase("насоса", "насос")]
    [TestCase("Насосов", "насос")]
    public void RussianAnalyzerStemsInflections(string word, string stem) => Assert.That(Tokens("ru", word), Is.EqualTo(new[] { stem }));

    [Test]
    public void RussianStopWordsAreDropped() =>
        Assert.That(Tokens("ru", "насос для шахт и скважин"), Does.Not.Contain("для").And.Not.Contain("и"));
}
