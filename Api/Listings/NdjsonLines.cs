using System.Buffers;
using System.IO.Pipelines;

namespace Marketplace.Api.Listings;

/// <summary>
/// The lines of an NDJSON body, read from the request's pipe without ever holding more than one
/// line of at most <see cref="MaxLineBytes"/>: a longer line is skipped as it streams in (and
/// reported), so memory stays flat whatever the client sends.
/// </summary>
public sealed class NdjsonLines(PipeReader reader) : IDisposable
{
    /// <summary>256 KB: a listing at every maximum (texts in three languages, escaped) takes less than half of it.</summary>
    public const int MaxLineBytes = 256 * 1024;

    static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    long _number;
    bool _done;

    /// <summary>One line: its 1-based number, and its bytes (valid until the next read), or <c>TooLong</c>.</summary>
    public readonly record struct Line(long Number, ReadOnlyMemory<byte> Utf8, bool TooLong);

    /// <summary>The next line, blank lines included; null at the end of the body.</summary>
    public async ValueTask<Line?> ReadAsync(CancellationToken ct)
    {
        if (_done) return null;
        var skipping = false;
        long scanned = 0; // bytes of the buffer already searched for a line end
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            var newline = buffer.Slice(scanned).PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = buffer.Slice(0, end);
                var rest = buffer.GetPosition(1, end);
                if (skipping || line.Length > MaxLineBytes)
                {
                    reader.AdvanceTo(rest);
                    return new Line(++_number, default, TooLong: true);
                }
                var copy = Copy(line);
                reader.AdvanceTo(rest);
                return new Line(++_number, copy, TooLong: false);
            }
            if (result.IsCompleted)
            {
                _done = true;
                if (buffer.Length == 0 && !skipping)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }
                var tooLong = skipping || buffer.Length > MaxLineBytes;
                var copy = tooLong ? default : Copy(buffer);
                reader.AdvanceTo(buffer.End);
                return new Line(++_number, copy, tooLong);
            }
            if (skipping || buffer.Length > MaxLineBytes)
            {
                // No line end within the limit: drop what has come and keep dropping until the line ends.
                skipping = true;
                scanned = 0;
                reader.AdvanceTo(buffer.End);
            }
            else
            {
                scanned = buffer.Length;
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>The line without its carriage return (and the byte-order mark on the first line), in a buffer reused for the next one.</summary>
    ReadOnlyMemory<byte> Copy(ReadOnlySequence<byte> line)
    {
        var length = (int)line.Length;
        if (_line.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = ArrayPool<byte>.Shared.Rent(length);
        }
        line.CopyTo(_line);
        var span = _line.AsMemory(0, length);
        if (span.Span.EndsWith((byte)'\r')) span = span[..^1];
        if (_number == 0 && span.Span.StartsWith(Bom)) span = span[Bom.Length..];
        return span;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        _line = [];
    }
}
