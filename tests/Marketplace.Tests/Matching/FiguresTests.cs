using Marketplace.Matching;

namespace Marketplace.Tests.Matching;

/// <summary>Numbers with units, read alike in Chinese, Russian and Latin writing.</summary>
public sealed class FiguresTests
{
    static Figure One(string text) => Figures.Extract(text).Single();

    [TestCase("粒径3-5μm", "частицы 3–5 мкм")]
    [TestCase("容量100Ah", "ёмкость 100 А·ч")]
    [TestCase("处理量500立方米/小时", "производительность 500 м³/ч")]
    [TestCase("功率1.5MW", "мощность 1500 кВт")]
    [TestCase("电压10kV", "напряжение 10 кВ")]
    [TestCase("压力25MPa", "давление 25 МПа")]
    [TestCase("波长1064nm", "длина волны 1064 нм")]
    [TestCase("年产5万吨", "50 тыс. т в год")]
    [TestCase("耐温-40℃", "до -40 °C")]
    [TestCase("产能１０吨/小时", "10 т/ч")]
    public void TheSameFigureReadsAlikeInEitherLanguage(string zh, string ru)
    {
        var a = One(zh);
        var b = One(ru);
        Assert.That((a.Unit, a.Low, a.High), Is.EqualTo((b.Unit, b.Low, b.High)).Using<(string, double, double)>((x, y) =>
            x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-9 * Math.Max(1, Math.Abs(x.Item2)) && Math.Abs(x.Item3 - y.Item3) < 1e-9 * Math.Max(1, Math.Abs(x.Item3))));
        Assert.That(Figures.Shared([a], [b]), Has.Count.EqualTo(1));
    }

    [TestCase("2020 г. начало работ")]
    [TestCase("т. е. всего 5 т.д.")]
    [TestCase("ГОСТ 12345-2020")]
    [TestCase("5-й этап, 3-х ступенчатый")]
    [TestCase("型号ABC123")]
    [TestCase("DN100管道")]
    public void WordsNumbersAndCodesAreNotFigures(string text) => Assert.That(Figures.Extract(text), Is.Empty);

    [Test]
    public void RangesOverlapAndNearValuesAgreeOtherUnitsNever()
    {
        var need = Figures.Extract("粒径3-5μm，功率100kW");
        Assert.That(Figures.Shared(need, Figures.Extract("частицы 4 мкм")).Select(f => f.Text), Is.EqualTo(new[] { "3-5μm" }));
        Assert.That(Figures.Shared(need, Figures.Extract("мощность 104 кВт")).Select(f => f.Text), Is.EqualTo(new[] { "100kW" }));
        Assert.That(Figures.Shared(need, Figures.Extract("мощность 120 кВт, 4 мм")), Is.Empty, "120 kW is not 100 kW; 4 mm is not 4 μm");
    }

    [Test]
    public void AShareSaturatesAtThreeFigures()
    {
        var source = Figures.Extract("1 kW, 2 kV, 3 MPa, 4 nm, 5 kg");
        Assert.That(Figures.Share(source, 3), Is.EqualTo(1));
        Assert.That(Figures.Share(source, 1), Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(Figures.Share([], 0), Is.Zero);
    }
}
