using System.Globalization;
using System.Text.RegularExpressions;

namespace Marketplace.Matching;

/// <summary>A quantity a text states, in its unit's base (a range when it gives one), and how it was written.</summary>
/// <param name="Unit">The base unit: m, kg, W, Ah, m3/h, ...</param>
public sealed record Figure(string Unit, double Low, double High, string Text);

/// <summary>
/// Numbers with their units, read alike in Chinese, Russian and Latin writing: 3–5 мкм and 3-5μm,
/// 100 А·ч and 100Ah, 500 м³/ч and 500立方米/小时 are the same figures. Figures are weak evidence:
/// they lift a pair the words or concepts already found (<see cref="MatchScorer"/>), never find one.
/// </summary>
public static partial class Figures
{
    /// <summary>Two figures agree when their ranges overlap, values within this share of each other counting as equal.</summary>
    public const double Tolerance = 0.05;

    /// <summary>A source's figures count up to this many: a spec sheet of twenty figures is not twenty times the evidence.</summary>
    public const int Saturation = 3;

    // Each spelling: its unit in base terms and the factor to it. Case matters (mW and MW).
    static readonly (string Unit, double Factor, string[] Spellings)[] Units =
    [
        ("m", 1e-9, ["nm", "нм", "纳米"]),
        ("m", 1e-6, ["μm", "µm", "um", "мкм", "микрон", "微米"]),
        ("m", 1e-3, ["mm", "мм", "毫米"]),
        ("m", 1e-2, ["cm", "см", "厘米"]),
        ("m", 1, ["m", "м", "米"]),
        ("m", 1e3, ["km", "км", "公里", "千米"]),
        ("m2", 1e-6, ["mm²", "mm2", "мм²", "мм2", "平方毫米"]),
        ("m2", 1e-4, ["cm²", "cm2", "см²", "см2", "平方厘米"]),
        ("m2", 1, ["m²", "m2", "м²", "м2", "кв. м", "кв.м", "平方米"]),
        ("m2", 1e4, ["ha", "га", "公顷"]),
        ("m2", 1e6, ["km²", "km2", "км²", "км2", "平方公里", "平方千米"]),
        ("m3", 1e-6, ["mL", "ml", "мл", "毫升"]),
        ("m3", 1e-3, ["L", "l", "л", "升"]),
        ("m3", 1, ["m³", "m3", "м³", "м3", "куб. м", "куб.м", "立方米"]),
        ("m3/h", 1, ["m³/h", "m3/h", "м³/ч", "м3/ч", "立方米/小时", "立方米/时", "方/小时", "方/时"]),
        ("m3/h", 1.0 / 24, ["m³/d", "m3/d", "м³/сут", "м3/сут", "立方米/天", "立方米/日", "方/天", "方/日"]),
        ("m3/h", 3600, ["m³/s", "m3/s", "м³/с", "м3/с", "立方米/秒"]),
        ("m3/h", 0.06, ["L/min", "l/min", "л/мин", "升/分钟", "升/分"]),
        ("m3/h", 1e-3, ["L/h", "l/h", "л/ч", "升/小时", "升/时"]),
        ("t/h", 1, ["t/h", "т/ч", "吨/小时", "吨/时"]),
        ("t/h", 1.0 / 24, ["t/d", "т/сут", "吨/天", "吨/日"]),
        ("t/h", 1e-3, ["kg/h", "кг/ч", "千克/小时", "公斤/小时"]),
        ("t/h", 1.0 / 8760, ["t/a", "t/y", "т/год", "吨/年"]),
        ("kg", 1e-6, ["mg", "мг", "毫克"]),
        ("kg", 1e-3, ["g", "г", "克"]),
        ("kg", 1, ["kg", "кг", "千克", "公斤"]),
        ("kg", 1e3, ["t", "т", "吨"]),
        ("W", 1e-3, ["mW", "мВт", "毫瓦"]),
        ("W", 1, ["W", "Вт", "瓦"]),
        ("W", 1e3, ["kW", "KW", "кВт", "千瓦"]),
        ("W", 1e6, ["MW", "МВт", "兆瓦"]),
        ("W", 1e9, ["GW", "ГВт", "吉瓦"]),
        ("Wh", 1, ["Wh", "W·h", "Вт·ч", "Втч", "瓦时"]),
        ("Wh", 1e3, ["kWh", "kW·h", "KWh", "кВт·ч", "кВт*ч", "кВтч", "千瓦时"]),
        ("Wh", 1e6, ["MWh", "MW·h", "МВт·ч", "МВтч", "兆瓦时"]),
        ("Wh", 1e9, ["GWh", "ГВт·ч", "吉瓦时"]),
        ("Ah", 1e-3, ["mAh", "mA·h", "мА·ч", "мАч", "毫安时"]),
        ("Ah", 1, ["Ah", "A·h", "А·ч", "Ач", "安时", "安培时"]),
        ("VA", 1e3, ["kVA", "kV·A", "кВА", "кВ·А", "千伏安"]),
        ("VA", 1e6, ["MVA", "МВА", "兆伏安"]),
        ("V", 1e-3, ["mV", "мВ", "毫伏"]),
        ("V", 1, ["V", "В", "伏", "伏特"]),
        ("V", 1e3, ["kV", "кВ", "千伏"]),
        ("A", 1e-3, ["mA", "мА", "毫安"]),
        ("A", 1, ["A", "А", "安培"]),
        ("A", 1e3, ["kA", "кА", "千安"]),
        ("Pa", 1, ["Pa", "Па", "帕", "帕斯卡"]),
        ("Pa", 1e3, ["kPa", "кПа", "千帕"]),
        ("Pa", 1e6, ["MPa", "МПа", "兆帕"]),
        ("Pa", 1e9, ["GPa", "ГПа", "吉帕"]),
        ("Pa", 1e5, ["bar", "бар"]),
        ("Pa", 101325, ["atm", "атм", "个大气压", "大气压"]),
        ("°C", 1, ["°C", "℃", "°С", "градусов Цельсия", "摄氏度"]),
        ("Hz", 1, ["Hz", "Гц", "赫兹"]),
        ("Hz", 1e3, ["kHz", "кГц", "千赫兹", "千赫"]),
        ("Hz", 1e6, ["MHz", "МГц", "兆赫兹", "兆赫"]),
        ("Hz", 1e9, ["GHz", "ГГц", "吉赫兹", "吉赫"]),
        ("Hz", 1e12, ["THz", "ТГц", "太赫兹"]),
        ("rpm", 1, ["rpm", "r/min", "об/мин", "转/分钟", "转/分"]),
        ("km/h", 1, ["km/h", "км/ч", "公里/小时", "千米/小时", "公里/时"]),
        ("km/h", 3.6, ["m/s", "м/с", "米/秒"]),
        ("N·m", 1, ["N·m", "Nm", "Н·м", "Нм", "牛·米", "牛米"]),
        ("N", 1e3, ["kN", "кН", "千牛"]),
        ("dB", 1, ["dB", "дБ", "分贝"]),
        ("Gy", 1, ["Gy", "Гр", "戈瑞"]),
        ("Gy", 1e3, ["kGy", "кГр", "千戈瑞"]),
        ("Sv", 1e-6, ["μSv", "µSv", "uSv", "мкЗв", "微希沃特", "微希"]),
        ("Sv", 1e-3, ["mSv", "мЗв", "毫希沃特", "毫希"]),
        ("Bq", 1, ["Bq", "Бк", "贝可勒尔", "贝可"]),
        ("eV", 1e3, ["keV", "кэВ", "千电子伏"]),
        ("eV", 1e6, ["MeV", "МэВ", "兆电子伏"]),
        ("bit/s", 1e6, ["Mbps", "Mbit/s", "Мбит/с", "兆比特/秒"]),
        ("bit/s", 1e9, ["Gbps", "Gbit/s", "Гбит/с", "吉比特/秒"]),
        ("h", 1, ["h", "ч", "小时", "hours", "часов", "часа"]),
        ("%", 1, ["%", "％"]),
    ];

    // Bare letters that are also abbreviations (2020 г. = the year, т. е. = that is) do not count before a full stop.
    static readonly HashSet<string> Guarded = ["г", "т", "м", "л", "ч"];

    static readonly Dictionary<string, (string Unit, double Factor)> BySpelling = Units
        .SelectMany(u => u.Spellings.Select(s => (s, (u.Unit, u.Factor))))
        .ToDictionary(x => x.s, x => x.Item2, StringComparer.Ordinal);

    const int MaxDigits = 24;
    static readonly int LongestSpelling = BySpelling.Keys.Max(k => k.Length);
    static readonly Dictionary<string, (string Unit, double Factor)>.AlternateLookup<ReadOnlySpan<char>> SpellingAt =
        BySpelling.GetAlternateLookup<ReadOnlySpan<char>>();

    // A number or range with an optional multiplier; the unit after it is looked up (longest spelling first), not matched by the regex.
    [GeneratedRegex(
        @"(?<![A-Za-z\p{IsCyrillic}\d.,])(?<na>[-−](?=\d))?(?<a>\d{1,3}(?:[ \u00A0\u202F]\d{3})+|\d+(?:[.,]\d+)?)" +
        @"(?:\s*(?:[-–—~～]|至|到|\.\.\.?|…)\s*(?<nb>[-−+](?=\d))?(?<b>\d{1,3}(?:[ \u00A0\u202F]\d{3})+|\d+(?:[.,]\d+)?))?" +
        @"\s*(?<mult>万|亿|тыс\.?|млн\.?|млрд\.?)?\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    /// <summary>The figures of a text, in order of appearance.</summary>
    public static IReadOnlyList<Figure> Extract(string? text)
    {
        var found = new List<Figure>();
        if (string.IsNullOrEmpty(text)) return found;
        foreach (Match m in Number().Matches(text))
        {
            // A run of digits longer than any quantity is an id or a code, not a figure.
            if (m.Groups["a"].Length > MaxDigits || m.Groups["b"].Length > MaxDigits) continue;
            var start = m.Index + m.Length;
            if (Unit(text, start) is not { } spelling) continue;
            var end = start + spelling.Length;
            if (Guarded.Contains(spelling) && end < text.Length && text[end] == '.') continue;
            var unit = BySpelling[spelling];
            var multiplier = m.Groups["mult"].Value.TrimEnd('.') switch
            {
                "万" => 1e4, "亿" => 1e8, "тыс" => 1e3, "млн" => 1e6, "млрд" => 1e9, _ => 1,
            };
            var a = Signed("a") * multiplier * unit.Factor;
            var b = m.Groups["b"].Success ? Signed("b") * multiplier * unit.Factor : a;
            found.Add(new Figure(unit.Unit, Math.Min(a, b), Math.Max(a, b), text[m.Index..end].Trim()));

            double Signed(string group) => (m.Groups["n" + group].Value is "-" or "−" ? -1 : 1) * Parse(m.Groups[group].Value);
        }
        return found;
    }

    /// <summary>The longest unit spelling at <paramref name="start"/> not running on into a Latin or Cyrillic letter or a digit.</summary>
    static string? Unit(string text, int start)
    {
        for (var length = Math.Min(LongestSpelling, text.Length - start); length >= 1; length--)
        {
            if (!SpellingAt.TryGetValue(text.AsSpan(start, length), out var spelling, out _)) continue;
            var end = start + length;
            if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || char.IsDigit(text[end]) || text[end] is '²' or '³'
                                      || text[end] is >= '\u0400' and <= '\u04FF')) continue;
            return spelling;
        }
        return null;
    }

    // Any script's digits (full-width １００ too); a comma is a decimal point, spaces group thousands.
    static double Parse(string text)
    {
        Span<char> plain = stackalloc char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            plain[length++] = char.IsAsciiDigit(c) ? c : char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c == ',' ? '.' : c;
        }
        return double.Parse(plain[..length], CultureInfo.InvariantCulture);
    }

    /// <summary>The source's figures the candidate states too (each once, as the source wrote it).</summary>
    public static IReadOnlyList<Figure> Shared(IReadOnlyList<Figure> source, IReadOnlyList<Figure> candidate) =>
        source.DistinctBy(f => (f.Unit, f.Low, f.High)).Where(f => candidate.Any(c => Overlap(f, c))).ToList();

    /// <summary>How much of the source's figures a candidate sharing <paramref name="shared"/> of them has, 0-1: up to <see cref="Saturation"/> count.</summary>
    public static double Share(IReadOnlyList<Figure> source, int shared)
    {
        var distinct = source.DistinctBy(f => (f.Unit, f.Low, f.High)).Count();
        return distinct == 0 ? 0 : Math.Min(1, (double)shared / Math.Min(Saturation, distinct));
    }

    /// <summary>Ranges overlap, a value within <see cref="Tolerance"/> of another counting as the same.</summary>
    static bool Overlap(Figure a, Figure b) =>
        a.Unit == b.Unit
        && a.Low <= b.High + Tolerance * Math.Abs(b.High)
        && b.Low <= a.High + Tolerance * Math.Abs(a.High);
}
