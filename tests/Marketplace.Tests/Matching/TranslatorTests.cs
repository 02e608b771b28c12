using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Tests.Matching;

/// <summary>Word-by-word translation over a small hand-made lexicon: compounds, inflections, acronyms either way.</summary>
public sealed class TranslatorTests
{
    static readonly TextAnalysis Analysis = new();

    static Translator Make() => new(
    [
        (["聚氯乙烯"], ["ПВХ", "поливинилхлорид"], ["PVC", "polyvinyl chloride"]),
        (["可编程逻辑控制器", "可编程控制器"], ["ПЛК", "программируемый логический контроллер"], ["PLC"]),
        (["管材"], ["трубы", "трубная продукция"], ["pipes"]),
        (["离心泵"], ["центробежный насос"], []),
        (["泵"], ["насос"], ["pump"]),
        (["精炼"], ["рафинирование"], ["refining"]),
    ], Analysis.RussianStems);

    [Test]
    public void AChineseWordOffersItsRussianWordsAndItsAcronym()
    {
        var pvc = Make().FromChinese("聚氯乙烯管材").First();
        Assert.That(pvc.Source, Is.EqualTo("聚氯乙烯"));
        Assert.That(pvc.Targets, Is.EqualTo(new[] { "ПВХ", "поливинилхлорид", "PVC" }), "an English phrase is not offered, the acronym is");
    }

    [Test]
    public void ALatinAcronymInAChineseTextTranslatesIntoRussian()
    {
        var words = Make().FromChinese("PVC管材，PLC控制");
        Assert.That(words.Select(w => w.Source), Is.EqualTo(new[] { "PVC", "管材", "PLC" }));
        Assert.That(words[0].Targets, Does.Contain("поливинилхлорид"));
        Assert.That(words[2].Targets, Does.Contain("программируемый логический контроллер"));
    }

    [Test]
    public void AnEnglishWordOrAnAcronymInsideAnotherIsNotTranslated()
    {
        Assert.That(Make().FromChinese("refining精炼").Select(w => w.Source), Is.EqualTo(new[] { "精炼" }));
        Assert.That(Make().FromChinese("CPVC管材").Select(w => w.Source), Is.EqualTo(new[] { "管材" }), "PVC inside CPVC is another thing");
    }

    [Test]
    public void ARussianAbbreviationOrLatinAcronymTranslatesIntoChineseAndOffersTheAcronym()
    {
        var words = Make().FromRussian("Шкаф управления на ПЛК; трубы из PVC.");
        var plc = words.Single(w => w.Source == "ПЛК");
        Assert.That(plc.Targets, Is.EqualTo(new[] { "可编程逻辑控制器", "可编程控制器", "PLC" }));
        Assert.That(words.Single(w => w.Source == "PVC").Targets, Is.EqualTo(new[] { "聚氯乙烯" }), "an acronym is not its own translation");
    }

    [Test]
    public void RussianMultiwordTermsComeBeforeTheirWordsInAnyForm() =>
        Assert.That(Make().FromRussian("Поставка центробежных насосов").Select(w => w.Source), Is.EqualTo(new[] { "центробежный насос" }));

    [TestCase("PLC", true)]
    [TestCase("LiDAR", true)]
    [TestCase("Ti-6Al-4V", true)]
    [TestCase("pipes", false)]
    [TestCase("Grade 5", false)]
    [TestCase("X", false)]
    [TestCase("GB/T", false)]
    public void AcronymsAreTokensWithTwoCapitals(string form, bool acronym) => Assert.That(Translator.IsAcronym(form), Is.EqualTo(acronym));
}
