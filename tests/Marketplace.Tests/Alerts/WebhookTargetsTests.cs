using System.Net;
using Marketplace.Api.Alerts;

namespace Marketplace.Tests.Alerts;

/// <summary>Which addresses a webhook may not reach: the platform's own and its network's.</summary>
public sealed class WebhookTargetsTests
{
    [TestCase("127.0.0.1", true)]
    [TestCase("127.8.9.10", true)]
    [TestCase("10.1.2.3", true)]
    [TestCase("172.16.0.1", true)]
    [TestCase("172.31.255.255", true)]
    [TestCase("172.32.0.1", false)]
    [TestCase("192.168.1.20", true)]
    [TestCase("169.254.169.254", true)]
    [TestCase("100.64.0.1", true)]
    [TestCase("100.128.0.1", false)]
    [TestCase("0.0.0.0", true)]
    [TestCase("224.0.0.1", true)]
    [TestCase("255.255.255.255", true)]
    [TestCase("8.8.8.8", false)]
    [TestCase("77.88.8.8", false)]
    [TestCase("::1", true)]
    [TestCase("::", true)]
    [TestCase("fe80::1", true)]
    [TestCase("fd12:3456::1", true)]
    [TestCase("ff02::1", true)]
    [TestCase("::ffff:10.0.0.1", true)]
    [TestCase("::ffff:8.8.8.8", false)]
    [TestCase("2a02:6b8::2:242", false)]
    public void PrivateAddressesAreRecognized(string address, bool isPrivate) =>
        Assert.That(WebhookTargets.IsPrivate(IPAddress.Parse(address)), Is.EqualTo(isPrivate));

    [Test]
    public async Task AUrlIsCheckedForItsSchemeAndAddressUnlessPrivateTargetsAreAllowed()
    {
        Assert.That(await WebhookTargets.ProblemAsync("https://user:pw@8.8.8.8/x", false, default), Is.Not.Null, "no credentials in the URL");
        Assert.That(await WebhookTargets.ProblemAsync("https://8.8.8.8/hook", false, default), Is.Null);
        Assert.That(await WebhookTargets.ProblemAsync("http://192.168.0.10/hook", false, default), Is.Not.Null);
        Assert.That(await WebhookTargets.ProblemAsync("http://192.168.0.10/hook", true, default), Is.Null);
        Assert.That(await WebhookTargets.ProblemAsync("file:///etc/passwd", true, default), Is.Not.Null, "the scheme is checked even where private targets are allowed");
    }
}
