using System.Collections.Concurrent;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;
using LuceneLock = Lucene.Net.Store.Lock;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The index on disk, read from memory. Lucene writes each segment file once and never changes it,
/// so a file's bytes are read into an array at its first open and dropped when Lucene deletes the
/// file; writes, commits and locks go to disk as before, so the disk stays the durable copy. Reading
/// through <see cref="NIOFSDirectory"/> cost a locked seek and read per 1 KB of term dictionary and
/// postings (a quarter of a match at 100,000 listings), and <see cref="RAMDirectory"/> locks its file
/// at every 1 KB buffer switch; an array read by position needs no lock. The index is small (about
/// 22 MB at 100,000 listings); files beyond <c>budgetBytes</c> are read from disk.
/// </summary>
sealed class ResidentDirectory(LuceneDirectory disk, long budgetBytes) : LuceneDirectory
{
    readonly ConcurrentDictionary<string, Lazy<byte[]?>> _files = new();
    long _residentBytes;

    public long ResidentBytes => Interlocked.Read(ref _residentBytes);

    public override IndexInput OpenInput(string name, IOContext context) =>
        Resident(name) is { } bytes ? new MemoryIndexInput($"{name} (resident)", bytes, 0, bytes.Length) : disk.OpenInput(name, context);

    public override IndexInputSlicer CreateSlicer(string name, IOContext context) =>
        Resident(name) is { } bytes ? new MemorySlicer(name, bytes) : disk.CreateSlicer(name, context);

    public override IndexOutput CreateOutput(string name, IOContext context)
    {
        Evict(name);
        return disk.CreateOutput(name, context);
    }

    public override void DeleteFile(string name)
    {
        disk.DeleteFile(name);
        Evict(name);
    }

    public override string[] ListAll() => disk.ListAll();
    [Obsolete("Lucene's own Directory.FileExists is obsolete; kept because Directory declares it.")]
    public override bool FileExists(string name) => disk.FileExists(name);
    public override long FileLength(string name) => disk.FileLength(name);
    public override void Sync(ICollection<string> names) => disk.Sync(names);
    public override LuceneLock MakeLock(string name) => disk.MakeLock(name);
    public override void ClearLock(string name) => disk.ClearLock(name);
    public override void SetLockFactory(LockFactory lockFactory) => disk.SetLockFactory(lockFactory);
    public override LockFactory LockFactory => disk.LockFactory;
    public override string GetLockID() => disk.GetLockID();
    public override string ToString() => $"{nameof(ResidentDirectory)}({disk})";

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _files.Clear();
        disk.Dispose();
    }

    /// <summary>Commit points (segments_N, segments.gen) are rewritten or read once: only segment files are kept.</summary>
    static bool IsSegmentFile(string name) => !name.StartsWith("segments", StringComparison.Ordinal) && name != "write.lock";

    byte[]? Resident(string name)
    {
        if (!IsSegmentFile(name)) return null;
        var file = _files.GetOrAdd(name, n => new Lazy<byte[]?>(() => Load(n)));
        try
        {
            return file.Value;
        }
        catch
        {
            // A missing or unreadable file is not remembered: the next open asks the disk again.
            _files.TryRemove(new KeyValuePair<string, Lazy<byte[]?>>(name, file));
            throw;
        }
    }

    byte[]? Load(string name)
    {
        var length = disk.FileLength(name);
        if (length > Array.MaxLength) return null;
        if (Interlocked.Add(ref _residentBytes, length) > budgetBytes)
        {
            Interlocked.Add(ref _residentBytes, -length);
            return null;
        }
        try
        {
            var bytes = new byte[length];
            using var input = disk.OpenInput(name, IOContext.READ_ONCE);
            input.ReadBytes(bytes, 0, bytes.Length);
            return bytes;
        }
        catch
        {
            Interlocked.Add(ref _residentBytes, -length);
            throw;
        }
    }

    void Evict(string name)
    {
        if (_files.TryRemove(name, out var file) && file.IsValueCreated && file.Value is { } bytes)
            Interlocked.Add(ref _residentBytes, -bytes.Length);
    }

    sealed class MemorySlicer(string name, byte[] bytes) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length) =>
            new MemoryIndexInput($"{name} [{sliceDescription}] (resident)", bytes, checked((int)offset), checked((int)length));

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice() => new MemoryIndexInput($"{name} (resident)", bytes, 0, bytes.Length);

        protected override void Dispose(bool disposing) { }
    }
}

/// <summary>A file, or a slice of a compound file, in one shared array: a clone copies only the position.</summary>
sealed class MemoryIndexInput : IndexInput
{
    readonly byte[] _bytes;
    readonly int _start;
    readonly int _length;
    int _position;

    public MemoryIndexInput(string description, byte[] bytes, int start, int length) : base(description)
    {
        if (start < 0 || length < 0 || start > bytes.Length - length)
            throw new ArgumentOutOfRangeException(nameof(length), $"Slice {start}+{length} is outside the file ({bytes.Length} bytes): {description}");
        _bytes = bytes;
        _start = start;
        _length = length;
    }

    public override long Length => _length;
    public override long Position => _position;

    public override byte ReadByte()
    {
        if (_position >= _length) throw new EndOfStreamException($"Read past the end: {this}");
        return _bytes[_start + _position++];
    }

    public override void ReadBytes(byte[] b, int offset, int len)
    {
        if (len > _length - _position) throw new EndOfStreamException($"Read past the end: {this}");
        Buffer.BlockCopy(_bytes, _start + _position, b, offset, len);
        _position += len;
    }

    public override void Seek(long pos)
    {
        if (pos < 0 || pos > _length) throw new EndOfStreamException($"Seek to {pos} outside the file: {this}");
        _position = (int)pos;
    }

    protected override void Dispose(bool disposing) { }
}
