using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Search.Elasticsearch;

/// <summary>
/// The JSON the Elasticsearch engine sends, built apart from the I/O so that tests pin it: the index
/// mapping, documents, bulk lines, and one body per query kind. Field names and analyzers mirror the
/// embedded engine (<see cref="ListingFields"/>, <see cref="ListingAnalyzers"/>).
/// </summary>
public static class ElasticsearchRequests
{
    static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>Settings and mappings of a versioned listings index (embedded resource <c>listings-index.json</c>).</summary>
    public static string IndexDefinition()
    {
        using var stream = typeof(ElasticsearchRequests).Assembly.GetManifestResourceStream("Marketplace.Search.Elasticsearch.listings-index.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static JsonObject Document(ListingDocument d)
    {
        var doc = new JsonObject
        {
            [ListingFields.Id] = d.Id,
            [ListingFields.Kind] = d.Kind,
            [ListingFields.Status] = d.Status,
            [ListingFields.Organization] = d.OrganizationId,
            [ListingFields.Field] = d.Field,
            [ListingFields.Country] = d.Country,
            [ListingFields.Form] = new JsonArray(d.CooperationForms.Distinct().Select(f => (JsonNode)f!).ToArray()),
            [ListingFields.Language] = new JsonArray(d.Texts.Keys.Select(l => (JsonNode)l!).ToArray()),
            [ListingFields.Trl] = d.Trl,
            [ListingFields.Updated] = d.UpdatedAt.UtcDateTime.ToString("O"),
            [ListingFields.Version] = d.Version,
        };
        foreach (var (language, text) in d.Texts)
        {
            doc[ListingFields.Text(ListingFields.Title, language)] = text.Title;
            doc[ListingFields.Text(ListingFields.All, language)] = ListingFields.AllText(text);
        }
        if (d.Concepts is { Count: > 0 }) doc[ListingFields.Concept] = string.Join(' ', d.Concepts);
        return doc;
    }

    /// <summary>
    /// Bulk index lines. <c>external_gte</c> versioning: Elasticsearch refuses a lower version than
    /// it holds (out-of-order writes) but takes the same one again (a glossary change re-indexes).
    /// </summary>
    public static string BulkUpsert(string index, IEnumerable<ListingDocument> documents) =>
        string.Concat(BulkUpsert(index, documents, int.MaxValue));

    /// <summary>
    /// A cluster refuses a request body over <c>http.max_content_length</c> (100 MB by default) as a
    /// whole, and bulk requests are best at a few MB: 10 MB of lines per request, whatever the count.
    /// </summary>
    public const int MaxBulkBytes = 10 * 1024 * 1024;

    /// <summary>The same lines as bodies of at most <paramref name="maxBytes"/> each (a larger document alone in its own).</summary>
    public static IEnumerable<string> BulkUpsert(string index, IEnumerable<ListingDocument> documents, int maxBytes)
    {
        var sb = new StringBuilder();
        long bytes = 0;
        foreach (var d in documents)
        {
            var lines = ToJson(new JsonObject
            {
                ["index"] = new JsonObject { ["_index"] = index, ["_id"] = d.Id, ["version"] = d.Version, ["version_type"] = "external_gte" },
            }) + "\n" + ToJson(Document(d)) + "\n";
            var size = Encoding.UTF8.GetByteCount(lines);
            if (bytes > 0 && bytes + size > maxBytes)
            {
                yield return sb.ToString();
                sb.Clear();
                bytes = 0;
            }
            sb.Append(lines);
            bytes += size;
        }
        if (bytes > 0) yield return sb.ToString();
    }

    public static string BulkDelete(string index, IEnumerable<string> ids)
    {
        var sb = new StringBuilder();
        foreach (var id in ids)
            sb.Append(ToJson(new JsonObject { ["delete"] = new JsonObject { ["_index"] = index, ["_id"] = id } })).Append('\n');
        return sb.ToString();
    }

    public static JsonArray Filters(ListingFilter f)
    {
        var filters = new JsonArray();
        void Term(string field, string? value)
        {
            if (!string.IsNullOrEmpty(value)) filters.Add(new JsonObject { ["term"] = new JsonObject { [field] = value } });
        }
        Term(ListingFields.Kind, f.Kind);
        Term(ListingFields.Status, f.Status);
        Term(ListingFields.Field, f.Field);
        Term(ListingFields.Country, f.Country);
        Term(ListingFields.Language, f.Language);
        if (f.TrlMin is not null || f.TrlMax is not null)
        {
            var range = new JsonObject();
            if (f.TrlMin is { } min) range["gte"] = min;
            if (f.TrlMax is { } max) range["lte"] = max;
            filters.Add(new JsonObject { ["range"] = new JsonObject { [ListingFields.Trl] = range } });
        }
        if (f.CooperationForms is { Count: > 0 } forms)
            filters.Add(new JsonObject { ["terms"] = new JsonObject { [ListingFields.Form] = new JsonArray(forms.Select(x => (JsonNode)x!).ToArray()) } });
        if (f.Organizations is { } organizations)
            filters.Add(new JsonObject
            {
                ["terms"] = new JsonObject { [ListingFields.Organization] = new JsonArray(organizations.Distinct().Order(StringComparer.Ordinal).Select(x => (JsonNode)x!).ToArray()) },
            });
        return filters;
    }

    /// <summary>
    /// A search: each language's fields analysed by their own analyzer (title ×3, the whole text ×1),
    /// any of them may match; without text, newest first. Facets as terms aggregations.
    /// </summary>
    public static JsonObject Search(SearchQuery q)
    {
        var body = new JsonObject
        {
            ["from"] = q.Offset,
            ["size"] = q.Limit,
            ["track_total_hits"] = true,
            ["_source"] = false,
        };
        var query = new JsonObject { ["filter"] = Filters(q.Filter) };
        if (string.IsNullOrWhiteSpace(q.Text))
            body["sort"] = new JsonArray(new JsonObject { [ListingFields.Updated] = "desc" }, new JsonObject { [ListingFields.Id] = "asc" });
        else
        {
            var should = new JsonArray();
            foreach (var language in Languages.All)
                foreach (var field in ListingFields.TextFields)
                    should.Add(new JsonObject
                    {
                        ["match"] = new JsonObject
                        {
                            [ListingFields.Text(field, language)] = new JsonObject { ["query"] = q.Text, ["boost"] = ListingFields.Boost(field) },
                        },
                    });
            query["should"] = should;
            query["minimum_should_match"] = 1;
        }
        body["query"] = new JsonObject { ["bool"] = query };
        if (q.WithFacets)
            body["aggs"] = new JsonObject
            {
                ["field"] = Terms(ListingFields.Field, 50),
                ["country"] = Terms(ListingFields.Country, 300),
                ["form"] = Terms(ListingFields.Form, 50),
                ["trl"] = Terms(ListingFields.Trl, 10),
            };
        return body;
    }

    static JsonObject Terms(string field, int size) => new() { ["terms"] = new JsonObject { ["field"] = field, ["size"] = size } };

    /// <summary>
    /// Term statistics of artificial documents, one per text (the source's weighted text per language,
    /// its concepts, each translation of its words), in one round trip; the statistics wanted are the
    /// URL's (<see cref="TermStatisticsParameters"/>).
    /// </summary>
    public static JsonObject MultiTermVectors(IEnumerable<(string Field, string Text)> documents) => new()
    {
        ["docs"] = new JsonArray(documents.Select(d => (JsonNode)new JsonObject
        {
            ["doc"] = new JsonObject { [d.Field] = d.Text },
            ["fields"] = new JsonArray(d.Field),
        }).ToArray()),
    };

    /// <summary>Every document of a <see cref="MultiTermVectors"/> body: document frequencies and the field's document count, nothing positional.</summary>
    public const string TermStatisticsParameters = "term_statistics=true&field_statistics=true&positions=false&offsets=false&payloads=false";

    public const string ConceptsQueryName = "concepts";
    public static string TextQueryName(string language) => "text_" + language;
    public static string TranslatedQueryName(string language) => "translated_" + language;

    /// <summary>
    /// A match: one named disjunction per language over its salient terms, one per language over the
    /// source's translated words (each word a <c>dis_max</c> of its translations, a translation of
    /// several words all of them), one over the concepts (boosted for candidate selection), under the
    /// filters. <c>include_named_queries_score</c> returns each part's score per hit, so every
    /// component is known in one round trip.
    /// </summary>
    public static JsonObject Match(IReadOnlyDictionary<string, List<(string Term, double Idf)>> terms,
        IReadOnlyList<(string Id, double Weight, double Idf)> concepts, ListingFilter filter, int size,
        IReadOnlyDictionary<string, List<MatchTerms.ChosenGroup>>? translated = null)
    {
        var should = new JsonArray();
        foreach (var (language, selected) in terms)
        {
            var field = ListingFields.Text(ListingFields.All, language);
            should.Add(new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray(selected.Select(t => Term(field, t.Term)).ToArray()),
                    ["_name"] = TextQueryName(language),
                },
            });
        }
        foreach (var (language, groups) in translated ?? new Dictionary<string, List<MatchTerms.ChosenGroup>>())
        {
            var field = ListingFields.Text(ListingFields.All, language);
            should.Add(new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["dis_max"] = DisMax(field, g) }).ToArray()),
                    ["_name"] = TranslatedQueryName(language),
                },
            });
        }
        if (concepts.Count > 0)
            should.Add(new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray(concepts.Select(c => (JsonNode)new JsonObject
                    {
                        ["term"] = new JsonObject { [ListingFields.Concept] = new JsonObject { ["value"] = c.Id, ["boost"] = Math.Round(c.Weight, 4) } },
                    }).ToArray()),
                    ["boost"] = MatchTerms.ConceptBoost,
                    ["_name"] = ConceptsQueryName,
                },
            });
        return new JsonObject
        {
            ["size"] = size,
            ["_source"] = false,
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject { ["filter"] = Filters(filter), ["should"] = should, ["minimum_should_match"] = 1 },
            },
        };
    }

    static JsonObject DisMax(string field, MatchTerms.ChosenGroup group)
    {
        var disMax = new JsonObject
        {
            ["queries"] = new JsonArray(group.Alternatives.Select(a => a.Alternative.Terms.Count == 1
                    ? Term(field, a.Alternative.Terms[0])
                    : new JsonObject { ["bool"] = new JsonObject { ["must"] = new JsonArray(a.Alternative.Terms.Select(t => Term(field, t)).ToArray()) } })
                .ToArray()),
            ["tie_breaker"] = 0,
        };
        if (group.Group.Weight != 1) disMax["boost"] = Math.Round(group.Group.Weight, 4);
        return disMax;
    }

    static JsonNode Term(string field, string term) => new JsonObject { ["term"] = new JsonObject { [field] = term } };

    /// <summary>
    /// One page of the listings that carry a concept or name it: sorted by id, and after
    /// <paramref name="after"/> (the last id of the page before), so every page is a cheap
    /// <c>search_after</c> and there is no result window to run into.
    /// </summary>
    public static JsonObject Mentions(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases, int size, string? after = null)
    {
        var should = new JsonArray(new JsonObject { ["term"] = new JsonObject { [ListingFields.Concept] = conceptId } });
        foreach (var (language, list) in phrases)
            foreach (var phrase in list)
                should.Add(new JsonObject { ["match_phrase"] = new JsonObject { [ListingFields.Text(ListingFields.All, language)] = phrase } });
        var body = new JsonObject
        {
            ["size"] = size,
            ["_source"] = false,
            ["track_total_hits"] = false,
            ["query"] = new JsonObject { ["bool"] = new JsonObject { ["should"] = should, ["minimum_should_match"] = 1 } },
            ["sort"] = new JsonArray(new JsonObject { [ListingFields.Id] = "asc" }),
        };
        if (after is not null) body["search_after"] = new JsonArray(after);
        return body;
    }

    /// <summary>One atomic alias switch: readers move from the old index to the new one at once.</summary>
    public static JsonObject SwapAlias(string alias, IEnumerable<string> oldIndices, string newIndex)
    {
        var actions = new JsonArray();
        foreach (var old in oldIndices) actions.Add(new JsonObject { ["remove"] = new JsonObject { ["index"] = old, ["alias"] = alias } });
        actions.Add(new JsonObject { ["add"] = new JsonObject { ["index"] = newIndex, ["alias"] = alias, ["is_write_index"] = true } });
        return new JsonObject { ["actions"] = actions };
    }
}
