using Marketplace.Api.Glossary;
using Marketplace.Api.Lexicon;
using Marketplace.Api.Listings;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Tests.Matching;

/// <summary>The shipped word lexicon: its size and breadth, its scripts, and nothing empty, doubled or contradicting.</summary>
public sealed class LexiconDataTests
{
    static readonly IReadOnlyList<LexiconEntry> Shipped = LexiconStore.Shipped();

    [Test]
    public void ItHoldsAtLeast15000EntriesOverEveryFieldAndTheGeneralVocabulary()
    {
        Assert.That(Shipped, Has.Count.GreaterThanOrEqualTo(15_000));
        var byArea = Shipped.GroupBy(e => e.Area).ToDictionary(g => g.Key, g => g.Count());
        foreach (var field in Taxonomy.FieldCodes)
            Assert.That(byArea.GetValueOrDefault("field-" + field), Is.GreaterThanOrEqualTo(500), field);
        foreach (var general in new[] { "general-materials", "general-processes", "general-machines", "general-instruments", "general-properties", "general-applications", "abbreviations" })
            Assert.That(byArea.GetValueOrDefault(general), Is.GreaterThanOrEqualTo(500), general);
        Assert.That(LexiconStore.Areas.Where(a => a.StartsWith("field-", StringComparison.Ordinal) && !Taxonomy.FieldCodes.Contains(a[6..])), Is.Empty,
            "a field file names a field of the taxonomy");
    }

    [Test]
    public void EveryFormIsInItsLanguagesScript()
    {
        var bad = Shipped.SelectMany(e =>
                e.Zh.Where(f => !Scripts.IsChinese(f)).Select(f => $"{e.Id}: zh '{f}'")
                    .Concat(e.Ru.Where(f => !Scripts.IsRussian(f)).Select(f => $"{e.Id}: ru '{f}'"))
                    .Concat(e.En.Where(f => Scripts.Count(f) != (0, 0)).Select(f => $"{e.Id}: en '{f}'")))
            .ToList();
        Assert.That(bad, Is.Empty);
    }

    [Test]
    public void NothingIsEmptyOrDoubled()
    {
        var empty = Shipped.Where(e => e.Zh.Count == 0 || e.Ru.Count == 0 || e.Zh.Concat(e.Ru).Concat(e.En).Any(string.IsNullOrWhiteSpace)).Select(e => e.Id);
        Assert.That(empty, Is.Empty);
        Assert.That(Shipped.Select(e => e.Id), Is.Unique, "a Chinese headword once per area");
        var repeated = Shipped.Where(e => e.Zh.Distinct().Count() != e.Zh.Count || e.Ru.Distinct(StringComparer.OrdinalIgnoreCase).Count() != e.Ru.Count)
            .Select(e => e.Id);
        Assert.That(repeated, Is.Empty, "a form once per entry");
        var sameFormTwice = Shipped.GroupBy(e => e.Area)
            .SelectMany(area => area.SelectMany(e => e.Zh.Select(f => (Form: ConceptExtractor.NormalizeChinese(f), e.Id))).GroupBy(x => x.Form)
                .Where(g => g.Select(x => x.Id).Distinct().Count() > 1).Select(g => $"{area.Key}: {g.Key}"));
        Assert.That(sameFormTwice, Is.Empty, "within an area a Chinese form belongs to one entry: its senses share the row");
    }

    /// <summary>
    /// The general vocabulary (not one field's) is one vocabulary, split into files only to be written:
    /// where two of its files give the same Chinese form, their translations share a word (a near
    /// synonym, a fuller phrase), or one contradicts the other. Fields may differ: a word has its
    /// senses (硝化 is nitration to a chemist, nitrification to a water engineer).
    /// </summary>
    [Test]
    public void NoGeneralEntryContradictsAnother()
    {
        using var analysis = new TextAnalysis();
        var general = Shipped.Where(e => !e.Area.StartsWith("field-", StringComparison.Ordinal)).ToList();
        var words = general.ToDictionary(e => e.Id, e => e.Ru.SelectMany(analysis.RussianStems).ToHashSet());
        var contradicting = general
            .SelectMany(e => e.Zh.Where(z => z.Length > 1).Select(z => (Form: ConceptExtractor.NormalizeChinese(z), Entry: e)))
            .GroupBy(x => x.Form)
            .SelectMany(g => g.SelectMany(a => g.Where(b => string.CompareOrdinal(a.Entry.Id, b.Entry.Id) < 0 && !words[a.Entry.Id].Overlaps(words[b.Entry.Id]))
                .Select(b => $"{g.Key}: {a.Entry.Id} ({string.Join("; ", a.Entry.Ru)}) vs {b.Entry.Id} ({string.Join("; ", b.Entry.Ru)})")))
            .ToList();
        Assert.That(contradicting, Is.Empty, string.Join("\n", contradicting));
    }

    [Test]
    public void TheTranslatorSplitsACompoundTheLexiconLacksIntoThePartsItHas()
    {
        using var analysis = new TextAnalysis();
        var translator = new Translator(Shipped.Select(e => (e.Zh, e.Ru, e.En)), analysis.RussianStems);
        Assert.That(Shipped.SelectMany(e => e.Zh), Does.Not.Contain("甲醛净化器"), "the example needs a compound the lexicon lacks");
        var words = translator.FromChinese("甲醛净化器").Select(t => t.Source).ToList();
        Assert.That(words, Is.EqualTo(new[] { "甲醛", "净化器" }));
        Assert.That(translator.FromChinese("离心风机和轴流风机").Select(t => t.Source), Is.EqualTo(new[] { "离心风机", "和", "轴流风机" }).Or.EqualTo(new[] { "离心风机", "轴流风机" }),
            "the longest form wins, so the qualifier that sets two fans apart stays with its fan");
        Assert.That(translator.FromChinese("消毒").Single().Targets, Does.Contain("дезинфекция").And.Contain("обеззараживание"));
    }
}

/// <summary>What a match query is given to translate: the languages a listing lacks, each word one group, heads counting less.</summary>
public sealed class TranslationsOfTests
{
    static readonly TextAnalysis Analysis = new();
    static readonly ConceptCatalog Catalog = Loaded();

    static ConceptCatalog Loaded()
    {
        var catalog = new ConceptCatalog(Analysis);
        catalog.Load(GlossaryStore.Shipped(), LexiconStore.Shipped(), revision: 1);
        return catalog;
    }

    static ListingContent Content(string? zh, string? ru) => new(new LocalizedText { Zh = zh, Ru = ru }, new LocalizedText { Zh = zh, Ru = ru }, null,
        "environment", 7, ["licensing"], "CN", null, null, "published");

    [Test]
    public void AChineseListingIsTranslatedIntoRussianWordByWordAndALoneHeadCountsLess()
    {
        // The lexicon has neither 甲醛检测机 nor 检测机: the machine's kind falls to the lone 机.
        var groups = Catalog.TranslationsOf(Content("甲醛检测机", null));
        Assert.That(groups.Keys, Is.EqualTo(new[] { "ru" }));
        Assert.That(groups["ru"].Select(g => (g.Source, g.Weight)), Is.EqualTo(new[] { ("甲醛", 1.0), ("检测", 1.0), ("机", ConceptCatalog.HeadWeight) }));
        Assert.That(groups["ru"].Single(g => g.Source == "甲醛").Tf, Is.EqualTo(3), "title twice, description once");
    }

    [Test]
    public void ARussianListingIsTranslatedIntoChineseAndABilingualOneNotAtAll()
    {
        var groups = Catalog.TranslationsOf(Content(null, "Центробежные насосы"));
        Assert.That(groups.Keys, Is.EqualTo(new[] { "zh" }));
        Assert.That(groups["zh"].Single().Alternatives, Does.Contain("离心泵"));
        Assert.That(Catalog.TranslationsOf(Content("离心泵", "Центробежный насос")), Is.Empty);
    }
}
