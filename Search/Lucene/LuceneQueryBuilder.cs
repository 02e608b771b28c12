using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Marketplace.Search.Lucene;

/// <summary>Builds the filter and full-text queries of the embedded engine.</summary>
sealed class LuceneQueryBuilder(TextAnalysis analysis)
{
    public Query Filter(ListingFilter filter)
    {
        var q = new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST } };
        void Must(string field, string? value)
        {
            if (!string.IsNullOrEmpty(value)) q.Add(new TermQuery(new Term(field, value)), Occur.MUST);
        }
        Must(ListingFields.Kind, filter.Kind);
        Must(ListingFields.Status, filter.Status);
        Must(ListingFields.Field, filter.Field);
        Must(ListingFields.Country, filter.Country);
        Must(ListingFields.Language, filter.Language);
        if (filter.TrlMin is not null || filter.TrlMax is not null)
            q.Add(NumericRangeQuery.NewInt32Range(ListingFields.Trl, filter.TrlMin, filter.TrlMax, true, true), Occur.MUST);
        if (filter.CooperationForms is { Count: > 0 } forms)
        {
            var any = new BooleanQuery();
            foreach (var form in forms) any.Add(new TermQuery(new Term(ListingFields.Form, form)), Occur.SHOULD);
            q.Add(any, Occur.MUST);
        }
        if (filter.Organizations is { Count: 0 })
            q.Add(new BooleanQuery(), Occur.MUST); // of no organization: nothing
        else if (filter.Organizations is { } organizations)
            q.Add(new ConstantScoreQuery(new global::Lucene.Net.Queries.TermsFilter(ListingFields.Organization,
                organizations.Distinct().Order(StringComparer.Ordinal).Select(o => new global::Lucene.Net.Util.BytesRef(o)).ToArray())), Occur.MUST);
        return q;
    }

    /// <summary>
    /// The query text is analysed once per language and looked up in that language's fields, so a
    /// mixed query such as <c>潜水泵 насосы</c> finds Chinese and Russian listings alike.
    /// Null when no language yields a term (only stop words or punctuation).
    /// </summary>
    public Query? FullText(string text)
    {
        var q = new BooleanQuery();
        foreach (var language in Languages.All)
        {
            var tokens = analysis.Tokens(language, text).Distinct().ToList();
            foreach (var textField in ListingFields.TextFields)
            {
                var field = ListingFields.Text(textField, language);
                foreach (var token in tokens)
                    q.Add(new TermQuery(new Term(field, token)) { Boost = ListingFields.Boost(textField) }, Occur.SHOULD);
            }
        }
        return q.Clauses.Count == 0 ? null : q;
    }

    public Query Mentions(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases)
    {
        var q = new BooleanQuery { { new TermQuery(new Term(ListingFields.Concept, conceptId)), Occur.SHOULD } };
        foreach (var (language, list) in phrases)
        {
            if (!Languages.All.Contains(language)) continue;
            var field = ListingFields.Text(ListingFields.All, language);
            foreach (var phrase in list)
            {
                var tokens = analysis.Tokens(language, phrase);
                if (tokens.Count == 0) continue;
                var pq = new PhraseQuery();
                foreach (var token in tokens) pq.Add(new Term(field, token));
                q.Add(pq, Occur.SHOULD);
            }
        }
        return q;
    }
}
