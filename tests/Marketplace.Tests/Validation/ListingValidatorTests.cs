using System.Globalization;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Contracts;

namespace Marketplace.Tests.Validation;

public sealed class ListingValidatorTests
{
    [OneTimeSetUp]
    public void CamelCasePaths() => ValidationNames.UseCamelCasePaths();

    static ListingRequest Valid() => new()
    {
        Title = new LocalizedText { Zh = "真空冷冻干燥设备", Ru = "Вакуумная сублимационная сушилка" },
        Description = new LocalizedText { Zh = "用于食品和药品的冻干设备。", Ru = "Сушилка для пищевых продуктов и лекарств." },
        Keywords = new LocalizedTerms { Zh = ["冻干"], Ru = ["сублимация"] },
        Field = "new-materials",
        Trl = 7,
        CooperationForms = ["licensing", "joint-rnd"],
        Country = "RU",
    };

    static string[] Errors(ListingRequest request, bool bulk = false) =>
        new ListingValidator(bulk).Validate(request).Errors.Select(e => e.PropertyName).Distinct().ToArray();

    [Test]
    public void AValidBilingualListingPasses() => Assert.That(Errors(Valid()), Is.Empty);

    [Test]
    public void ChineseTextWithLatinAndDigitsPasses() =>
        Assert.That(Errors(Valid() with { Title = new LocalizedText { Zh = "PLC控制器 S7-1200" }, Description = new LocalizedText { Zh = "西门子 PLC 兼容。" } }), Is.Empty);

    [TestCase("Насос", null, "title.zh")]
    [TestCase(null, "水泵", "title.ru")]
    [TestCase(null, "Pump", "title.ru")]
    [TestCase(null, null, "title")]
    public void TitleScriptsAreChecked(string? zh, string? ru, string field)
    {
        var request = Valid() with
        {
            Title = new LocalizedText { Zh = zh, Ru = ru, En = "Pump" },
            Description = new LocalizedText { Zh = zh, Ru = ru, En = "Pump" },
        };
        Assert.That(Errors(request), Does.Contain(field));
    }

    [Test]
    public void TooLongTextsAreRefused()
    {
        var request = Valid() with { Title = new LocalizedText { Zh = new string('泵', ListingLimits.TitleMax + 1), Ru = "Насос" } };
        Assert.That(Errors(request), Is.EqualTo(new[] { "title.zh" }));
    }

    [TestCase(0)]
    [TestCase(10)]
    [TestCase(null)]
    public void TrlMustBeOneToNine(int? trl) => Assert.That(Errors(Valid() with { Trl = trl }), Is.EqualTo(new[] { "trl" }));

    [Test]
    public void DuplicateCooperationFormsAreRefused() =>
        Assert.That(Errors(Valid() with { CooperationForms = ["licensing", "licensing"] }), Is.EqualTo(new[] { "cooperationForms" }));

    [Test]
    public void ExternalRefIsRequiredOnlyWhereWritesUpsert()
    {
        Assert.That(Errors(Valid()), Is.Empty);
        Assert.That(Errors(Valid(), bulk: true), Is.EqualTo(new[] { "externalRef" }));
    }

    [Test]
    public void TooManyKeywordsAreRefused()
    {
        var many = Enumerable.Range(0, ListingLimits.KeywordsMax + 1).Select(i => $"насос {i}").ToList();
        Assert.That(Errors(Valid() with { Keywords = new LocalizedTerms { Ru = many } }), Is.EqualTo(new[] { "keywords.ru" }));
    }

    [TestCase("zh", "中文（zh）文本必须包含汉字。")]
    [TestCase("ru", "Текст на китайском (zh) должен содержать китайские иероглифы.")]
    [TestCase("en", "A Chinese (zh) text must contain Chinese characters.")]
    public void MessagesAreInTheCurrentUiLanguage(string culture, string expected)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var result = new ListingValidator().Validate(Valid() with { Title = new LocalizedText { Zh = "Pump" } });
            Assert.That(result.Errors.First(e => e.PropertyName == "title.zh").ErrorMessage, Is.EqualTo(expected));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
