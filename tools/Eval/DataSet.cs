using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Eval;

/// <summary>A judged data set in the format of shared/data/SCHEMA.md.</summary>
public sealed record DataSet(IReadOnlyList<JsonObject> Offers, IReadOnlyList<JsonObject> Needs, IReadOnlyDictionary<string, Dictionary<string, int>> Grades)
{
    public static DataSet Load(string folder)
    {
        static List<JsonObject> Lines(string path) => File.ReadLines(path)
            .Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var grades = new Dictionary<string, Dictionary<string, int>>();
        foreach (var line in File.ReadLines(Path.Combine(folder, "qrels.tsv")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3) continue;
            if (!grades.TryGetValue(parts[0], out var g)) grades[parts[0]] = g = [];
            g[parts[1]] = int.Parse(parts[2]);
        }
        return new DataSet(Lines(Path.Combine(folder, "offers.jsonl")), Lines(Path.Combine(folder, "needs.jsonl")), grades);
    }

    public static string Ref(JsonObject listing) => listing["ref"]!.GetValue<string>();

    public static IReadOnlySet<string> LanguagesOf(JsonObject listing) =>
        listing["title"]!.AsObject().Select(p => p.Key).ToHashSet();

    /// <summary>The listing as the API takes it: the set's <c>ref</c> becomes the <c>externalRef</c>.</summary>
    public static JsonObject ToRequest(JsonObject listing)
    {
        var body = JsonNode.Parse(listing.ToJsonString())!.AsObject();
        body["externalRef"] = Ref(listing);
        body.Remove("ref");
        return body;
    }
}

/// <summary>Ranking quality measures over graded judgments (gain 2^grade - 1).</summary>
public static class Metrics
{
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k)
    {
        double Dcg(IEnumerable<int> g) => g.Take(k).Select((grade, i) => (Math.Pow(2, grade) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(grades.Values.OrderByDescending(g => g));
        return ideal == 0 ? 0 : Dcg(ranked.Select(r => grades.GetValueOrDefault(r))) / ideal;
    }

    public static double ReciprocalRank(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int minGrade)
    {
        for (var i = 0; i < ranked.Count; i++)
            if (grades.GetValueOrDefault(ranked[i]) >= minGrade) return 1.0 / (i + 1);
        return 0;
    }

    public static double Recall(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k, int minGrade)
    {
        var relevant = grades.Where(g => g.Value >= minGrade).Select(g => g.Key).ToHashSet();
        return relevant.Count == 0 ? 1 : ranked.Take(k).Count(relevant.Contains) / (double)relevant.Count;
    }

    public static double PrecisionAt1(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int minGrade) =>
        ranked.Count > 0 && grades.GetValueOrDefault(ranked[0]) >= minGrade ? 1 : 0;
}
