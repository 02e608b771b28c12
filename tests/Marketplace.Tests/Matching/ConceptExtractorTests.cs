using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Tests.Matching;

public sealed class ConceptExtractorTests
{
    static readonly TextAnalysis Analysis = new();

    static ConceptExtractor Extractor(params Concept[] concepts) =>
        new(concepts, Analysis.RussianStems);

    static readonly Concept FuelCell = new("ne-1", "new-energy", ["燃料电池"], ["топливный элемент"]);
    static readonly Concept Battery = new("gn-1", "general", ["电池"], ["аккумулятор"]);
    static readonly Concept BoronCarbide = new("nm-1", "new-materials", ["碳化硼"], ["карбид бора"]);
    static readonly Concept Plc = new("mt-1", "mechatronics", ["PLC", "可编程控制器"], ["ПЛК", "программируемый логический контроллер"]);

    static string[] Ids(ConceptExtractor e, string? zh, string? ru) => e.Extract(zh, ru).Select(m => m.ConceptId).ToArray();

    [Test]
    public void TheLongestChineseTermWins()
    {
        var e = Extractor(FuelCell, Battery);
        Assert.That(Ids(e, "氢燃料电池备用电源", null), Is.EqualTo(new[] { "ne-1" }));
        Assert.That(Ids(e, "锂电池和燃料电池", null), Is.EqualTo(new[] { "gn-1", "ne-1" }));
    }

    [TestCase("Панели из карбида бора для бронежилетов")]
    [TestCase("КАРБИД БОРА горячего прессования")]
    public void RussianTermsAreFoundInAnyInflection(string text) =>
        Assert.That(Ids(Extractor(BoronCarbide), null, text), Is.EqualTo(new[] { "nm-1" }));

    [Test]
    public void RussianMultiWordTermsMustBeContiguous() =>
        Assert.That(Ids(Extractor(BoronCarbide), null, "карбид кремния и нитрид бора"), Is.Empty);

    [Test]
    public void InflectedPluralOfATwoWordTermMatches() =>
        Assert.That(Ids(Extractor(FuelCell), null, "энергоустановка на водородных топливных элементах"), Is.EqualTo(new[] { "ne-1" }));

    [Test]
    public void LatinNamesInChineseTextMatchWholeWordsOnly()
    {
        var e = Extractor(Plc);
        Assert.That(Ids(e, "西门子PLC控制柜", null), Is.EqualTo(new[] { "mt-1" }));
        Assert.That(Ids(e, "采用ＰＬＣ", null), Is.EqualTo(new[] { "mt-1" }), "full-width letters");
        Assert.That(Ids(e, "PLCX系列", null), Is.Empty);
    }

    [Test]
    public void BothLanguagesYieldTheSameConcept()
    {
        var e = Extractor(FuelCell);
        var found = e.Extract("燃料电池", "топливные элементы");
        Assert.That(found.Select(m => (m.ConceptId, m.Language)), Is.EqualTo(new[] { ("ne-1", "zh"), ("ne-1", "ru") }));
    }

    [Test]
    public void CodeTermsIgnoreUnits() =>
        Assert.That(CodeTerms.Extract("PLGA微球，粒径20 μm，120 kW，25 kg/m2，HVOF"),
            Is.EqualTo(new[] { "x:plga", "x:hvof" }));

    [Test]
    public void ACyrillicCodeIsTheSameTermAsItsLatinSpellings()
    {
        Assert.That(CodeTerms.Extract("сплав ВТ6 и сталь 12Х18Н10Т, вертолёт Ми-8"),
            Is.EqualTo(new[] { "x:vt6", "x:bt6", "x:12kh18n10t", "x:12x18h10t", "x:mi-8" }));
        Assert.That(CodeTerms.Extract("钛合金VT6，不锈钢12X18H10T，Mi-8直升机"), Is.EqualTo(new[] { "x:vt6", "x:12x18h10t", "x:mi-8" }));
    }

    [Test]
    public void OrdinalsYearsAndFiguresAreNotCodes() =>
        Assert.That(CodeTerms.Extract("5-й этап, 3-х ступенчатый, 2020г, 220В, 10кВ, НИОКР"), Is.Empty);
}
