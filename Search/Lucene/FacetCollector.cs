using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marketplace.Search.Lucene;

/// <summary>Counts every matching document by field, country, cooperation form and TRL from doc values.</summary>
sealed class FacetCollector : ICollector
{
    public static readonly FacetCounts Empty = new(
        new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>());

    readonly Dictionary<string, long> _field = new(), _country = new(), _form = new(), _trl = new();
    SortedDocValues? _fieldValues, _countryValues;
    SortedSetDocValues? _formValues;
    NumericDocValues? _trlValues;
    readonly BytesRef _scratch = new();

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) { }

    public void SetNextReader(AtomicReaderContext context)
    {
        var reader = context.AtomicReader;
        _fieldValues = reader.GetSortedDocValues(ListingFields.DocValues(ListingFields.Field));
        _countryValues = reader.GetSortedDocValues(ListingFields.DocValues(ListingFields.Country));
        _formValues = reader.GetSortedSetDocValues(ListingFields.DocValues(ListingFields.Form));
        _trlValues = reader.GetNumericDocValues(ListingFields.DocValues(ListingFields.Trl));
    }

    public void Collect(int doc)
    {
        Count(_fieldValues, doc, _field);
        Count(_countryValues, doc, _country);
        if (_formValues is not null)
        {
            _formValues.SetDocument(doc);
            long ord;
            while ((ord = _formValues.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                _formValues.LookupOrd(ord, _scratch);
                Increment(_form, _scratch.Utf8ToString());
            }
        }
        if (_trlValues is not null) Increment(_trl, _trlValues.Get(doc).ToString());
    }

    void Count(SortedDocValues? values, int doc, Dictionary<string, long> counts)
    {
        if (values is null) return;
        var ord = values.GetOrd(doc);
        if (ord < 0) return;
        values.LookupOrd(ord, _scratch);
        Increment(counts, _scratch.Utf8ToString());
    }

    static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    public FacetCounts Result() => new(_field, _country, _form, _trl);
}
