using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Marketplace.Search;

/// <summary>The analyzers of the per-language fields: SmartCn for zh, Russian for ru, standard for en.</summary>
public static class ListingAnalyzers
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// SmartCn's own stop set is punctuation only, so particles such as 的 would weigh as much as
    /// a technical term; these function words carry no meaning for matching.
    /// </summary>
    public static readonly IReadOnlyList<string> ChineseStopWords =
    [
        "的", "地", "得", "了", "着", "过", "和", "与", "及", "或", "等", "在", "是", "为", "对", "以", "于", "将",
        "把", "被", "从", "由", "向", "其", "之", "也", "都", "而", "并", "且", "可", "能", "我", "我们", "公司",
        "本", "该", "此", "这", "那", "有", "无", "中", "上", "下", "个", "一", "用", "可以", "进行", "通过",
    ];

    public static Analyzer Chinese()
    {
        var stop = new CharArraySet(Version, SmartChineseAnalyzer.DefaultStopSet, ignoreCase: true);
        foreach (var w in ChineseStopWords) stop.Add(w);
        return new SmartChineseAnalyzer(Version, stop);
    }

    public static Analyzer Russian() => new RussianAnalyzer(Version);

    public static Analyzer English() => new StandardAnalyzer(Version);

    public static Analyzer For(string language) => language switch
    {
        Languages.Zh => Chinese(),
        Languages.Ru => Russian(),
        _ => English(),
    };

    /// <summary>One analyzer for a whole document: each <c>*_zh</c>/<c>*_ru</c>/<c>*_en</c> field gets its language's chain.</summary>
    public static Analyzer PerField()
    {
        var zh = Chinese();
        var ru = Russian();
        var en = English();
        var map = new Dictionary<string, Analyzer>();
        foreach (var f in ListingFields.TextFields)
        {
            map[ListingFields.Text(f, Languages.Zh)] = zh;
            map[ListingFields.Text(f, Languages.Ru)] = ru;
            map[ListingFields.Text(f, Languages.En)] = en;
        }
        // Concept ids and code terms are tokens already: split on white space, nothing else.
        map[ListingFields.Concept] = new WhitespaceAnalyzer(Version);
        return new PerFieldAnalyzerWrapper(en, map);
    }

    /// <summary>The terms an analyzer makes of a text, in order, duplicates kept.</summary>
    public static List<string> Tokens(Analyzer analyzer, string field, string text)
    {
        var tokens = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add(term.ToString());
        stream.End();
        return tokens;
    }
}

/// <summary>Names of the index fields, shared by indexing and querying.</summary>
public static class ListingFields
{
    public const string Id = "id";
    public const string Kind = "kind";
    public const string Status = "status";
    public const string Organization = "org";
    public const string Field = "field";
    public const string Country = "country";
    public const string Form = "form";
    public const string Trl = "trl";
    public const string Language = "lang";
    public const string Updated = "updated";
    public const string Version = "version";

    public const string Title = "title";
    /// <summary>
    /// Title, keywords and description in one field per language: what searches and match queries
    /// read. One analysed copy of the long text, not one per part (analysis is most of indexing).
    /// </summary>
    public const string All = "all";

    public static string AllText(LanguageText text) => string.Join("\n", [text.Title, .. text.Keywords, text.Description]);
    /// <summary>Language-neutral concept ids and code terms (<c>x:plga</c>).</summary>
    public const string Concept = "concept";
    public static readonly IReadOnlyList<string> TextFields = [Title, All];

    /// <summary>Title terms say most about a listing; the whole text counts once more.</summary>
    public static float Boost(string textField) => textField switch { Title => 3f, _ => 1f };

    public static string Text(string textField, string language) => $"{textField}_{language}";
    public static string DocValues(string field) => field + "_dv";
}
