using System.Globalization;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
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

    [TestCase("zh", "中文（zh）文本必须以汉字为主。")]
    [TestCase("ru", "Текст на китайском (zh) должен быть написан в основном иероглифами.")]
    [TestCase("en", "A Chinese (zh) text must be written mostly in Chinese characters.")]
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

    [Test]
    public void ATitleIsRequired()
    {
        Assert.That(Errors(Valid() with { Title = null }), Is.EqualTo(new[] { "title" }));
        Assert.That(Errors(Valid() with { Title = new LocalizedText() }), Does.Contain("title"));
        Assert.That(Errors(Valid() with { Title = new LocalizedText { Zh = "  ", Ru = "" } }), Does.Contain("title"));
    }

    [Test]
    public void ADescriptionIsRequiredInTheLanguagesOfTheTitle()
    {
        Assert.That(Errors(Valid() with { Description = null }), Is.EqualTo(new[] { "description" }));
        Assert.That(Errors(Valid() with { Description = new LocalizedText { Ru = "Сушилка для продуктов." } }), Is.EqualTo(new[] { "description.zh" }));
        Assert.That(Errors(Valid() with { Description = new LocalizedText { Zh = "冻干设备。" } }), Is.EqualTo(new[] { "description.ru" }));
    }

    [TestCase("насос 泵", null, "title.zh", TestName = "Russian with one Han character in title.zh")]
    [TestCase("Насос ГОСТ 泵", null, "title.zh", TestName = "Mostly Cyrillic in title.zh")]
    [TestCase(null, "泵泵泵 н", "title.ru", TestName = "Mostly Han in title.ru")]
    [TestCase(null, "Pump 泵泵 на", "title.ru", TestName = "As much Han as Cyrillic in title.ru")]
    public void AChineseTextIsMostlyHanAndARussianTextMostlyCyrillic(string? zh, string? ru, string field)
    {
        var request = Valid() with
        {
            Title = new LocalizedText { Zh = zh, Ru = ru },
            Description = new LocalizedText { Zh = zh is null ? null : "泵。", Ru = ru is null ? null : "Насос." },
        };
        Assert.That(Errors(request), Is.EqualTo(new[] { field }));
    }

    [TestCase("符合 ГОСТ 12345 标准的离心泵", TestName = "A Russian standard cited in Chinese")]
    [TestCase("PLC控制器 S7-1200", TestName = "Latin codes are not counted")]
    public void AChineseTextMayCiteCodesAndRussianNames(string zh) =>
        Assert.That(Errors(Valid() with { Title = new LocalizedText { Zh = zh }, Description = new LocalizedText { Zh = zh } }), Is.Empty);

    [TestCase("title.zh", TestName = "NUL in a Chinese title")]
    [TestCase("description.ru", TestName = "Escape in a Russian description")]
    [TestCase("keywords.zh[0]", TestName = "NUL in a keyword")]
    [TestCase("externalRef", TestName = "NUL in externalRef")]
    [TestCase("region", TestName = "Bell in the region")]
    [TestCase("ip.patents[0]", TestName = "NUL in a patent number")]
    [TestCase("title.ru", TestName = "An unpaired surrogate")]
    public void ControlCharactersAreRefused(string field)
    {
        var request = field switch
        {
            "title.zh" => Valid() with { Title = new LocalizedText { Zh = "真空\0冷冻干燥设备", Ru = "Сушилка" } },
            "description.ru" => Valid() with { Description = new LocalizedText { Zh = "冻干设备。", Ru = "Сушилка\u001b[31m" } },
            "keywords.zh[0]" => Valid() with { Keywords = new LocalizedTerms { Zh = ["冻\0干"] } },
            "externalRef" => Valid() with { ExternalRef = "erp\u00004711" },
            "region" => Valid() with { Region = "Новосибирск\a" },
            "ip.patents[0]" => Valid() with { Ip = new IpInfo { Status = "granted", Patents = ["RU\0 2712345"] } },
            "title.ru" => Valid() with { Title = new LocalizedText { Zh = "冻干设备", Ru = "Сушилка \ud800" } },
            _ => throw new ArgumentException(field),
        };
        Assert.That(Errors(request), Is.EqualTo(new[] { field }));
    }

    [Test]
    public void ADescriptionMayHoldLineBreaksAndTabsButATitleMayNot()
    {
        var multiline = Valid() with { Description = new LocalizedText { Zh = "第一段。\n第二段：\t参数。", Ru = "Абзац.\r\nЕщё абзац." } };
        Assert.That(Errors(multiline), Is.Empty);
        Assert.That(Errors(Valid() with { Title = new LocalizedText { Zh = "冻干\n设备", Ru = "Сушилка" } }), Is.EqualTo(new[] { "title.zh" }));
    }

    [TestCase("zh", "不允许包含控制字符（如 NUL）或不成对的代理字符。")]
    [TestCase("ru", "Управляющие символы (например, NUL) и непарные суррогаты не допускаются.")]
    public void TheControlCharacterRuleSpeaksTheCallersLanguage(string culture, string expected)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var result = new ListingValidator().Validate(Valid() with { ExternalRef = "a\0b" });
            Assert.That(result.Errors.Single().ErrorMessage, Is.EqualTo(expected));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [TestCase("泵", 1, 0)]
    [TestCase("насос 泵", 1, 5)]
    [TestCase("PLC \U00020000", 1, 0)]
    public void ScriptsAreCountedByCharacter(string text, int han, int cyrillic) =>
        Assert.That(Scripts.Count(text), Is.EqualTo((han, cyrillic)));
}
