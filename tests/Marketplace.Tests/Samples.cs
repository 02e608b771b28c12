namespace Marketplace.Tests;

/// <summary>Listing bodies in Chinese and Russian; each call returns a fresh object to change freely.</summary>
public static class Samples
{
    public static Dictionary<string, object?> RussianPump(string? externalRef = null) => new()
    {
        ["externalRef"] = externalRef,
        ["title"] = new { ru = "Насос высокого напора для шахтного водоотлива" },
        ["description"] = new { ru = "Погружной насос высокого напора для водоотлива шахт и глубоких скважин, напор до 300 м." },
        ["keywords"] = new { ru = new[] { "погружной насос", "водоотлив" } },
        ["field"] = "transport-machinery",
        ["trl"] = 8,
        ["cooperationForms"] = new[] { "licensing", "co-production" },
        ["country"] = "RU",
        ["region"] = "Новосибирская область",
        ["ip"] = new { status = "granted", patents = new[] { "RU 2712345" } },
    };

    public static Dictionary<string, object?> ChinesePump(string? externalRef = null) => new()
    {
        ["externalRef"] = externalRef,
        ["title"] = new { zh = "高扬程潜水泵" },
        ["description"] = new { zh = "适用于深井供水和矿山排水的高扬程潜水泵，扬程可达三百米。" },
        ["keywords"] = new { zh = new[] { "深井泵", "矿山排水" } },
        ["field"] = "transport-machinery",
        ["trl"] = 6,
        ["cooperationForms"] = new[] { "joint-rnd" },
        ["country"] = "CN",
        ["region"] = "山东省",
    };

    public static Dictionary<string, object?> ChineseCeramics(string? externalRef = null) => new()
    {
        ["externalRef"] = externalRef,
        ["title"] = new { zh = "碳化硼防弹陶瓷插板" },
        ["description"] = new { zh = "热压烧结碳化硼陶瓷面板，与超高分子量聚乙烯背板复合，用于警用防弹衣。" },
        ["field"] = "new-materials",
        ["trl"] = 7,
        ["cooperationForms"] = new[] { "licensing", "transfer" },
        ["country"] = "CN",
    };

    public static Dictionary<string, object?> BilingualLaser(string? externalRef = null) => new()
    {
        ["externalRef"] = externalRef,
        ["title"] = new { zh = "光纤激光焊接设备", ru = "Установка волоконной лазерной сварки" },
        ["description"] = new
        {
            zh = "用于汽车车身薄板焊接的光纤激光焊接设备，功率六千瓦。",
            ru = "Установка волоконной лазерной сварки тонколистовых кузовных деталей мощностью 6 кВт.",
        },
        ["field"] = "lasers-optics",
        ["trl"] = 9,
        ["cooperationForms"] = new[] { "co-production", "technical-service" },
        ["country"] = "RU",
    };
}
