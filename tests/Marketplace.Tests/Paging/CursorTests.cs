using Marketplace.Api.Http;

namespace Marketplace.Tests.Paging;

/// <summary>Cursors: a next page only while there is one, and never beyond the deepest page the engines serve.</summary>
public sealed class CursorTests
{
    static int Offset(string cursor) => Cursors.TryRead(cursor, out var offset) ? offset : throw new AssertionException("not a cursor");

    [Test]
    public void TheNextCursorStartsAfterThisPage() => Assert.That(Offset(Cursors.Next(40, 20, 100)!), Is.EqualTo(60));

    [TestCase(80, 20, 100)]
    [TestCase(0, 0, 100)]
    [TestCase(Cursors.MaxOffset - 20, 40, Cursors.MaxOffset * 2L)]
    public void ThereIsNoNextPage(int offset, int count, long total) => Assert.That(Cursors.Next(offset, count, total), Is.Null);

    [Test]
    public void TheDeepestPageStillHasACursorThatIsAccepted() =>
        Assert.That(Offset(Cursors.Next(Cursors.MaxOffset - 100, 100, Cursors.MaxOffset * 2L)!), Is.EqualTo(Cursors.MaxOffset));

    [TestCase("bm90IGEgY3Vyc29y")]
    [TestCase("%%%")]
    public void ForeignCursorsAreRefused(string cursor) => Assert.That(Cursors.TryRead(cursor, out _), Is.False);

    [Test]
    public void ACursorBeyondTheDeepestPageIsRefused() => Assert.That(Cursors.TryRead(Cursors.Write(Cursors.MaxOffset + 1), out _), Is.False);
}
