using System.Net;
using System.Text.Json;
using CoopMarket.Grains.Notifications;
using CoopMarket.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoopMarket.Gateway.Tests.Notifications;

/// <summary>Webhooks: signed, retried with backoff by the market clock, at least once, and only to addresses allowed.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WebhooksApiTests(GatewayFactory factory)
{
    private readonly Api admin = factory.Admin();

    [Fact]
    public async Task A_receiver_that_fails_twice_then_succeeds_gets_each_event_once_by_id_with_a_valid_signature()
    {
        using var receiver = new WebhookReceiver(failures: 2);
        var product = await factory.ProductAsync("webhook");
        var cooperative = await admin.CooperativeAsync();
        var buyer = await admin.BuyerAsync();
        var path = $"/api/cooperatives/{cooperative.Id}/webhooks";
        var registered = await cooperative.Api.CreatedAsync(path, new { url = receiver.Url }, key: "hook-1");
        receiver.Secret = registered.GetProperty("secret").GetString();
        var again = await cooperative.Api.CreatedAsync(path, new { url = receiver.Url }, key: "hook-1");
        Assert.Equal(registered.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        await cooperative.Api.CreatedAsync($"/api/cooperatives/{cooperative.Id}/lots", new
        {
            product, quantityKg = 100, grade = "A", harvestFrom = factory.Today.AddDays(9), harvestTo = factory.Today.AddDays(19), askVndPerKg = 20_000,
        });
        foreach (var kg in new[] { 30, 20 })
        {
            await buyer.Api.CreatedAsync($"/api/buyers/{buyer.Id}/requests", new
            {
                product, quantityKg = kg, deliverFrom = factory.Today.AddDays(14), deliverBy = factory.Today.AddDays(27), maxVndPerKg = 30_000,
            });
        }

        var failed = await EventuallyAsync(path, w => w.GetProperty("attempts").GetInt32() == 1);
        Assert.Equal((500, 2L), (failed.GetProperty("lastStatus").GetInt32(), failed.GetProperty("pending").GetInt64()));
        Assert.True(failed.GetProperty("nextAttemptAt").GetDateTimeOffset() > factory.Clock.GetUtcNow(), "the retry waits for the market clock");
        Assert.False(failed.TryGetProperty("secret", out _));

        // Move the market clock past each backoff (2 s, then 4 s, with jitter) until both events are taken.
        var done = await EventuallyAsync(path, w => w.GetProperty("pending").GetInt64() == 0, () => factory.Clock.Advance(TimeSpan.FromSeconds(5)));
        Assert.Equal(("2", 0, 204), (done.GetProperty("deliveredThrough").GetString(), done.GetProperty("attempts").GetInt32(), done.GetProperty("lastStatus").GetInt32()));
        Assert.Equal(new Dictionary<string, int> { ["1"] = 1, ["2"] = 1 }, receiver.Accepted);
        Assert.Equal((4, 0), (receiver.Calls, receiver.BadSignatures));

        Assert.Equal(HttpStatusCode.NoContent, (await cooperative.Api.DeleteAsync($"{path}/{done.GetProperty("id").GetString()}")).Status);
        Assert.Equal(0, (await cooperative.Api.GetAsync(path)).Body.GetArrayLength());
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("http://user:secret@127.0.0.1/hook")]
    [InlineData("/relative/hook")]
    [InlineData("")]
    public async Task A_webhook_url_that_is_not_plain_http_or_https_is_refused(string url)
    {
        var cooperative = await admin.CooperativeAsync();
        var (status, problem, _) = await cooperative.Api.PostAsync($"/api/cooperatives/{cooperative.Id}/webhooks", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://localhost/hook")]
    public async Task Outside_development_a_url_reaching_a_private_or_loopback_address_is_refused(string url)
    {
        Assert.NotNull(await new WebhookAddresses(allowPrivate: false).CheckAsync(url, CancellationToken.None));
        Assert.Null(await new WebhookAddresses(allowPrivate: true).CheckAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task Outside_development_a_public_address_is_allowed()
    {
        Assert.Null(await new WebhookAddresses(allowPrivate: false).CheckAsync("https://93.184.216.34/hook", CancellationToken.None));
        Assert.Null(await new WebhookAddresses(allowPrivate: false).CheckAsync("http://[2606:4700::1111]/hook", CancellationToken.None));
    }

    [Fact]
    public async Task A_send_checks_the_address_it_connects_to_so_a_name_that_now_resolves_to_loopback_is_never_called()
    {
        using var receiver = new WebhookReceiver(failures: 0) { Secret = "s" };
        using var sender = new WebhookSender(new WebhookAddresses(allowPrivate: false));
        var item = new InboxItem(1, new Notice(Notice.IdFor("rice", 1, "d", NoticeKind.DealProposed), NoticeKind.DealProposed, factory.Clock.GetUtcNow(),
            "rice", "d", "l", "r", 1000, "proposed"), false);

        var (status, error) = await sender.SendAsync($"http://localhost:{receiver.Port}/hook", "s", "cooperative/x", item, factory.Clock.GetUtcNow());

        Assert.Null(status);
        Assert.NotNull(error);
        Assert.Equal(0, receiver.Calls);

        using var allowed = new WebhookSender(new WebhookAddresses(allowPrivate: true));
        Assert.Equal(204, (await allowed.SendAsync($"http://localhost:{receiver.Port}/hook", "s", "cooperative/x", item, factory.Clock.GetUtcNow())).Status);
        Assert.Equal(1, receiver.Calls);
    }

    [Fact]
    public async Task In_Production_a_private_url_is_refused_with_problem_details_and_a_name_that_now_resolves_to_loopback_is_never_called()
    {
        using var receiver = new WebhookReceiver(failures: 0);
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment(Environments.Production));
        var cooperative = await new Api(production.CreateClient(), GatewayFactory.AdminKey).CooperativeAsync();
        var path = $"/api/cooperatives/{cooperative.Id}/webhooks";

        foreach (var url in new[] { receiver.Url, $"http://localhost:{receiver.Port}/hook", "http://10.0.0.7/hook", "http://[::1]/hook" })
        {
            var (status, problem, response) = await cooperative.Api.PostAsync(path, new { url });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), $"{url}: {problem}");
        }

        // A name that resolved to a public address when it was registered and to loopback now (DNS rebinding): the
        // grain holds it as registration left it, and the silo's sender must refuse the address it would connect to.
        var key = IInboxGrain.CooperativeKey(cooperative.Id);
        var grains = production.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(WebhookOutcome.Registered, (await grains.GetGrain<IWebhooksGrain>(key).RegisterAsync("rebound", $"http://localhost:{receiver.Port}/hook")).Outcome);
        await grains.GetGrain<IInboxGrain>(key).DeliverAsync([new Notice(Notice.IdFor("rice", 1, "d1", NoticeKind.DealProposed), NoticeKind.DealProposed,
            factory.Clock.GetUtcNow(), "rice", "d1", "lot", "request", 1_000, "proposed")]);

        JsonElement hook = default;
        for (var until = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < until; await Task.Delay(100))
        {
            hook = Assert.Single((await cooperative.Api.GetAsync(path)).Body.EnumerateArray());
            if (hook.GetProperty("attempts").GetInt32() > 0)
            {
                break;
            }
        }

        Assert.Equal((1, JsonValueKind.Null, 1L), (hook.GetProperty("attempts").GetInt32(), hook.GetProperty("lastStatus").ValueKind, hook.GetProperty("pending").GetInt64()));
        Assert.Contains("no address it may reach", hook.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, receiver.Calls);
    }

    /// <summary>Reads the participant's one webhook until <paramref name="done"/> holds, doing <paramref name="step"/> between reads.</summary>
    private async Task<JsonElement> EventuallyAsync(string path, Func<JsonElement, bool> done, Action? step = null)
    {
        var api = admin;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var hook = Assert.Single((await api.GetAsync(path)).Body.EnumerateArray());
            if (done(hook))
            {
                return hook;
            }

            step?.Invoke();
        }

        throw new TimeoutException($"The webhook of {path} did not get there in 30 s.");
    }
}
