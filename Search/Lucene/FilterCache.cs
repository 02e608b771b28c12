using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marketplace.Search.Lucene;

/// <summary>
/// Filters (kind, status, field, country, ...) as bit sets cached per segment. Most requests repeat
/// a handful of filters ("published offers"), and a segment never changes, so its bit set is
/// computed once; deletions are applied at query time, and segments dropped by merges fall out of
/// the cache with their readers. A bit set can also be asked "is this document in?" at random,
/// so Lucene checks each scored document against it instead of leap-frogging two iterators.
/// </summary>
sealed class FilterCache
{
    /// <summary>Distinct filter combinations kept; each costs one bit per document per segment.</summary>
    const int Capacity = 256;
    readonly ConcurrentDictionary<Query, Filter> _filters = new();

    public Filter For(Query filter)
    {
        if (_filters.Count >= Capacity) _filters.Clear();
        return _filters.GetOrAdd(filter, q => new BitSetCachingFilter(new QueryWrapperFilter(q)));
    }

    sealed class BitSetCachingFilter(Filter filter) : CachingWrapperFilter(filter)
    {
        protected override DocIdSet CacheImpl(DocIdSetIterator iterator, AtomicReader reader)
        {
            var bits = new FixedBitSet(reader.MaxDoc);
            bits.Or(iterator);
            return bits;
        }
    }
}
