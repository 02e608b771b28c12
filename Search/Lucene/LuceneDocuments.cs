using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace Marketplace.Search.Lucene;

/// <summary>Turns a <see cref="ListingDocument"/> into the Lucene fields that queries and facets read.</summary>
static class LuceneDocuments
{
    public static Document From(ListingDocument listing)
    {
        var doc = new Document
        {
            new StringField(ListingFields.Id, listing.Id, Field.Store.YES),
            new StoredField(ListingFields.Version, listing.Version),
            new StringField(ListingFields.Kind, listing.Kind, Field.Store.NO),
            new StringField(ListingFields.Status, listing.Status, Field.Store.NO),
            new StringField(ListingFields.Organization, listing.OrganizationId, Field.Store.NO),
            new StringField(ListingFields.Field, listing.Field, Field.Store.NO),
            new SortedDocValuesField(ListingFields.DocValues(ListingFields.Field), new BytesRef(listing.Field)),
            new StringField(ListingFields.Country, listing.Country, Field.Store.NO),
            new SortedDocValuesField(ListingFields.DocValues(ListingFields.Country), new BytesRef(listing.Country)),
            new Int32Field(ListingFields.Trl, listing.Trl, Field.Store.NO),
            new NumericDocValuesField(ListingFields.DocValues(ListingFields.Trl), listing.Trl),
            new NumericDocValuesField(ListingFields.DocValues(ListingFields.Updated), listing.UpdatedAt.UtcTicks),
        };
        foreach (var form in listing.CooperationForms.Distinct())
        {
            doc.Add(new StringField(ListingFields.Form, form, Field.Store.NO));
            doc.Add(new SortedSetDocValuesField(ListingFields.DocValues(ListingFields.Form), new BytesRef(form)));
        }
        foreach (var (language, text) in listing.Texts)
        {
            doc.Add(new StringField(ListingFields.Language, language, Field.Store.NO));
            doc.Add(new TextField(ListingFields.Text(ListingFields.Title, language), text.Title, Field.Store.NO));
            doc.Add(new TextField(ListingFields.Text(ListingFields.All, language), ListingFields.AllText(text), Field.Store.NO));
        }
        // Every occurrence, so that BM25 sees how often a listing names a concept and how many it names.
        if (listing.Concepts is { Count: > 0 } concepts)
            doc.Add(new TextField(ListingFields.Concept, string.Join(' ', concepts), Field.Store.NO));
        return doc;
    }
}
