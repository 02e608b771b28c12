namespace Marketplace.Api.Indexing;

/// <summary>Whether the engine took the last write this replica sent it; read by <c>/health/ready</c>.</summary>
public sealed class IndexingHealth
{
    /// <summary>The engine has refused every write since <paramref name="Since"/>.</summary>
    public sealed record Refusing(DateTimeOffset Since, string Error);

    volatile Refusing? _refusing;

    public Refusing? RefusingWrites => _refusing;

    /// <summary>Keeps the start of a streak of failures, so that the report says how long it has lasted.</summary>
    public void WriteFailed(Exception error) =>
        _refusing = _refusing ?? new Refusing(DateTimeOffset.UtcNow, $"{error.GetType().Name}: {error.Message}");

    public void WriteSucceeded() => _refusing = null;
}
