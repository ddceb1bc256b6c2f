using System.Text.Json;
using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Grains;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;
using CoopMarket.Hosting;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Demo;

/// <summary>Loads Tân Lạc district into an empty market at start-up (switch: <see cref="DemoOptions"/>), through the same
/// commands the API uses, so the demo obeys every rule real data does.</summary>
/// <remarks>The three cooperatives and the six value chains are the report's; everything marked "ví dụ" (example)
/// is invented to make the market move. Every command carries a fixed idempotency key, so two gateways starting
/// together load it once. Dates follow today so the lots are always fresh.</remarks>
internal sealed partial class DistrictDemo(
    ParticipantCommands participants, MarketCommands market, ValueChainCommands chains, IGrainFactory grains, ClusterConnection cluster, IOptions<DemoOptions> options,
    [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock, ILogger<DistrictDemo> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Seed)
        {
            return;
        }

        try
        {
            // A gateway starts its web server while it is still joining the cluster (see OrleansHosting).
            await cluster.WaitAsync(stoppingToken);

            // Only a first start loads it: a market that has participants is somebody's real market.
            if ((await grains.GetGrain<IRegistryGrain>(IRegistryGrain.Cooperatives).ListAsync(new PageRequest(1, null))).Ids.Count == 0)
            {
                await LoadAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    private async Task LoadAsync()
    {
        var today = clock.Today();
        var vietGap = DistrictExamples.VietGap(today);

        var tanLacSon = await Cooperative("tan-lac-son", "Hợp tác xã thương mại dịch vụ Tân Lạc Sơn", "HTX", "Mường Khến", 45,
            [new CertificationDto("OCOP", 4, today.AddYears(2))]);
        var dongLai = await Cooperative("dong-lai", DistrictExamples.DongLai(today));
        var quyetChien = await Cooperative("quyet-chien", "Hợp tác xã sản xuất rau an toàn Quyết Chiến", "HTX", "Quyết Chiến", 28, [vietGap]);
        var dragonGroup = await Cooperative("dong-lai-dragon", "Tổ hợp tác thanh long trái vụ Đông Lai (ví dụ)", "THT", "Đông Lai", 12, [vietGap]);
        var passionGroup = await Cooperative("thanh-hoi-passion", "Tổ hợp tác chanh leo bền vững Thanh Hối (ví dụ)", "THT", "Thanh Hối", 15, []);
        var mandarinGroup = await Cooperative("nam-son-mandarin", "Tổ hợp tác quýt Nam Sơn (ví dụ)", "THT", "Nam Sơn", 20, []);
        var fishGroup = await Cooperative("cage-fish", "Tổ hợp tác cá lồng (ví dụ)", "THT", "Mường Khến", 9, []);

        await Chain("red-pomelo", "Chuỗi bưởi đỏ Tân Lạc", ["red-pomelo"], "Capped", 0.6m, tanLacSon);
        await Chain("cage-fish", "Chuỗi cá lồng", ["cage-fish", "ca-dam-xanh"], "ChainOnly", null, fishGroup);
        await Chain("safe-vegetables", "Chuỗi rau an toàn", ["safe-vegetables", "chayote", "korean-radish"], "ChainFirst", null, quyetChien);
        await Chain("nam-son-mandarin", "Chuỗi quýt Nam Sơn", ["nam-son-mandarin"], "PriceTime", null, mandarinGroup);
        var dragon = await Chain("dragon-fruit", DistrictExamples.DragonFruitChain, dongLai, dragonGroup);
        await Chain("passion-fruit", "Chuỗi chanh leo Thanh Hối", ["passion-fruit"], "ProRata", null, passionGroup, tanLacSon);

        var supermarket = await Buyer("supermarket", DistrictExamples.Supermarket);
        var wholesaler = await Buyer("wholesaler", "Công ty bán buôn nông sản Hòa Bình (ví dụ)", "wholesaler", "Hòa Bình");
        var exporter = await Buyer("exporter", "Công ty xuất khẩu trái cây Hải Phòng (ví dụ)", "exporter", "Hải Phòng");

        var harvest = (From: today.AddDays(-2), To: today.AddDays(8));
        await Lot(dongLai, "dragon-1", DistrictExamples.DragonFruitLot(today));
        await Lot(dragonGroup, "dragon-2", "dragon-fruit", 4_000, "A", [vietGap], harvest, 26_000);
        await Lot(passionGroup, "passion-1", "passion-fruit", 2_000, "A", [], harvest, 18_000);
        await Lot(tanLacSon, "passion-2", "passion-fruit", 1_000, "B", [], harvest, 17_500);
        await Lot(tanLacSon, "pomelo-1", "red-pomelo", 5_000, "A", [new CertificationDto("OCOP", 4, today.AddYears(2))], harvest, 30_000);
        await Lot(quyetChien, "vegetables-1", "safe-vegetables", 800, "A", [vietGap], (today.AddDays(-1), today.AddDays(2)), 15_000);
        await Lot(quyetChien, "chayote-1", "chayote", 1_200, "A", [new CertificationDto("OCOP", 3, today.AddYears(1))], harvest, 8_000);
        await Lot(mandarinGroup, "mandarin-1", "nam-son-mandarin", 1_500, "B", [], harvest, 20_000);
        await Lot(tanLacSon, "tea-1", "giao-co-lam-tea", 200, "A", [new CertificationDto("OCOP", 4, today.AddYears(2))], (today.AddDays(-60), today.AddDays(-30)), 300_000);

        var delivery = (From: today.AddDays(3), To: today.AddDays(20));
        await Request(supermarket, "dragon", DistrictExamples.DragonFruitRequest(today, dragon));
        await Request(wholesaler, "vegetables", new PlaceRequest("safe-vegetables", 500, today.AddDays(1), today.AddDays(4), 18_000));
        await Request(exporter, "passion", new PlaceRequest("passion-fruit", 1_500, delivery.From, today.AddDays(9), 25_000));
        await Request(exporter, "pomelo", new PlaceRequest("red-pomelo", 8_000, delivery.From, delivery.To, 36_000, MinOcopStars: 4));
        await Request(wholesaler, "mandarin", new PlaceRequest("nam-son-mandarin", 3_000, delivery.From, delivery.To, 19_000));
        LogLoaded(logger);
    }

    private Task<string> Cooperative(string key, string name, string kind, string commune, int members, IReadOnlyList<CertificationDto> certifications) =>
        Cooperative(key, new RegisterCooperative(name, kind, commune, "Tân Lạc", "Hòa Bình", members, certifications));

    private async Task<string> Cooperative(string key, RegisterCooperative body) => Succeeded(await participants.RegisterCooperativeAsync(body, Key(key))).Id;

    private Task<string> Buyer(string key, string name, string kind, string province) => Buyer(key, new RegisterBuyer(name, kind, province));

    private async Task<string> Buyer(string key, RegisterBuyer body) =>
        Succeeded(await participants.RegisterBuyerAsync(body, Key(key), Security.Caller.System, "demo")).Id;

    private Task<string> Chain(string key, string name, IReadOnlyList<string> products, string policy, decimal? capShare, params string[] members) =>
        Chain(key, new CreateValueChain(name, products, policy, capShare), members);

    private async Task<string> Chain(string key, CreateValueChain body, params string[] members)
    {
        var chain = Succeeded(await chains.CreateValueChainAsync(body, Key(key))).Id;
        foreach (var member in members)
        {
            Succeeded(await chains.AddChainMemberAsync(chain, DistrictExamples.Producer(member), Key($"{key}-{member}")));
        }

        return chain;
    }

    private Task Lot(string cooperative, string key, string product, decimal kg, string grade, IReadOnlyList<CertificationDto> certifications,
        (DateOnly From, DateOnly To) harvest, decimal ask) =>
        Lot(cooperative, key, new PostLot(product, kg, grade, certifications, harvest.From, harvest.To, ask, null, (JsonElement?)null));

    private async Task Lot(string cooperative, string key, PostLot body) =>
        Succeeded(await market.PostLotAsync(cooperative, body, Key(key), Security.Caller.System));

    private async Task Request(string buyer, string key, PlaceRequest request) =>
        Succeeded(await market.PlaceRequestAsync(buyer, request, Key(key), Security.Caller.System));

    private static string Key(string name) => $"district-demo-{name}";

    private static T Succeeded<T>(Apis.Reply<T> reply) => reply.Succeeded
        ? reply.Value!
        : throw new InvalidOperationException($"Demo data refused ({reply.Status}): {reply.Detail} {string.Join("; ", reply.Errors?.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}") ?? [])}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Tân Lạc district demo data loaded")]
    private static partial void LogLoaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the district demo data failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
