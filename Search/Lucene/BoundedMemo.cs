using System.Collections.Concurrent;

namespace Marketplace.Search.Lucene;

/// <summary>
/// Values computed once and remembered, from any thread, up to a capacity: past it they are
/// computed and not kept. The count is kept apart (ConcurrentDictionary.Count takes every lock).
/// </summary>
sealed class BoundedMemo<TKey, TValue>(int capacity) where TKey : notnull
{
    readonly ConcurrentDictionary<TKey, TValue> _values = new();
    int _count;

    public TValue Get(TKey key, Func<TKey, TValue> compute)
    {
        if (_values.TryGetValue(key, out var value)) return value;
        value = compute(key);
        if (Volatile.Read(ref _count) < capacity && _values.TryAdd(key, value)) Interlocked.Increment(ref _count);
        return value;
    }
}
