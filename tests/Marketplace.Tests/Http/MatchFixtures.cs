using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>A small bilingual catalogue for ranking tests: each listing is written in one language only.</summary>
public static class MatchFixtures
{
    public static Dictionary<string, object?> Listing(string? zhTitle, string? zhText, string? ruTitle, string? ruText,
        string field, int trl, string[] forms, string country) => new()
    {
        ["title"] = new { zh = zhTitle, ru = ruTitle },
        ["description"] = new { zh = zhText, ru = ruText },
        ["field"] = field,
        ["trl"] = trl,
        ["cooperationForms"] = forms,
        ["country"] = country,
    };

    public static Dictionary<string, object?> RuFuelCellOffer(int trl = 7, string[]? forms = null) => Listing(null, null,
        "Резервная энергоустановка на водородных топливных элементах",
        "Энергоустановка 5 кВт на топливных элементах с протонообменной мембраной заменяет дизель-генераторы на базовых станциях связи; водород хранится в баллонах.",
        "new-energy", trl, forms ?? ["licensing", "joint-rnd"], "RU");

    public static Dictionary<string, object?> ZhLaserCladdingOffer() => Listing(
        "轧辊激光熔覆再制造", "采用光纤激光器对磨损轧辊进行激光熔覆修复，熔覆层硬度高，替代电镀硬铬。", null, null,
        "lasers-optics", 8, ["technical-service"], "CN");

    public static Dictionary<string, object?> RuArmorOffer() => Listing(null, null,
        "Бронепластины из карбида бора",
        "Горячепрессованные бронепластины из карбида бора с подложкой из СВМПЭ для бронежилетов; поверхностная плотность 32 кг/м².",
        "new-materials", 8, ["licensing", "co-production"], "RU");

    public static Dictionary<string, object?> ZhHeatPumpOffer() => Listing(
        "低温空气源热泵", "喷气增焓空气源热泵，零下三十五度仍可供暖，适用于严寒地区农村住宅。", null, null,
        "new-energy", 9, ["transfer", "licensing"], "CN");

    public static Dictionary<string, object?> ZhFuelCellNeed(int trl = 6, string[]? forms = null) => Listing(
        "通信基站氢燃料电池备用电源", "需要千瓦级氢燃料电池备用电源，替代通信基站的柴油发电机。", null, null,
        "new-energy", trl, forms ?? ["licensing"], "CN");

    public static Dictionary<string, object?> ZhArmorNeed() => Listing(
        "防弹插板用碳化硼陶瓷", "警用防弹衣需要轻量化碳化硼防弹陶瓷插板，面密度不超过三十四千克每平方米。", null, null,
        "new-materials", 7, ["co-production"], "CN");

    public static Dictionary<string, object?> RuHeatingNeed() => Listing(null, null,
        "Отопление сельских домов в холодном климате",
        "Нужен тепловой насос для отопления домов при морозах до минус тридцати пяти градусов.",
        "new-energy", 8, ["licensing"], "RU");

    public static async Task<string> Post(HttpClient client, string collection, object body) =>
        (await (await client.PostAsJsonAsync($"/api/v1/{collection}", body)).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!.Id;
}
