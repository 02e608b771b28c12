using Lucene.Net.Analysis;

namespace Marketplace.Search;

/// <summary>
/// The analysis chains of the index, for code outside the engines: concept extraction reads Russian
/// stems, explanations read a listing's terms as the engine indexes them. One instance serves all
/// threads (Lucene analyzers keep their token streams per thread).
/// </summary>
public sealed class TextAnalysis : IDisposable
{
    readonly Dictionary<string, Analyzer> _analyzers = Languages.All.ToDictionary(l => l, ListingAnalyzers.For);

    /// <summary>The terms <paramref name="language"/>'s analyzer makes of a text, in order, duplicates kept.</summary>
    public IReadOnlyList<string> Tokens(string language, string text) =>
        ListingAnalyzers.Tokens(_analyzers[language], language, text);

    /// <summary>Tokenized, lower-cased, stop words dropped and stemmed, as the <c>*_ru</c> fields are.</summary>
    public IReadOnlyList<string> RussianStems(string text) => Tokens(Languages.Ru, text);

    /// <summary>The distinct terms of a listing's text in one language, as its <c>all_*</c> field holds them.</summary>
    public IReadOnlySet<string> Terms(string language, LanguageText text) =>
        Tokens(language, ListingFields.AllText(text)).ToHashSet();

    public void Dispose()
    {
        foreach (var analyzer in _analyzers.Values) analyzer.Dispose();
    }
}
