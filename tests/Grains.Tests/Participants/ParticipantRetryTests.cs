using CoopMarket.Grains.Market;
using CoopMarket.Grains.Paging;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;

namespace CoopMarket.Grains.Tests.Participants;

/// <summary>A participant's command retried after a failed write repairs what the first attempt left undone, and
/// never leaves memory ahead of storage.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ParticipantRetryTests(ClusterFixture fixture)
{
    private static readonly GeoPlace HaNoi = new("Hà Nội", 21.0285, 105.8542);
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_registration_retried_after_the_registry_failed_lists_the_participant()
    {
        var id = $"buyer-retry-{Guid.NewGuid():N}";
        var buyer = Grains.GetGrain<IBuyerGrain>(id);
        var profile = new BuyerProfile(id, "Bếp ăn thử", "restaurant", "Hà Nội", HaNoi, DateTimeOffset.UnixEpoch, false);
        using (FaultyStorage.Arm("registry/buyers/registry"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => buyer.RegisterAsync(profile, "body", "key-hash"));
        }

        var retry = await buyer.RegisterAsync(profile, "body", "key-hash");

        Assert.Equal(CommandOutcome.Replayed, retry.Outcome);
        Assert.Contains(id, (await Grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync(new PageRequest(500, null))).Ids);
        await buyer.RegisterAsync(profile, "body", "key-hash");
        Assert.Single((await Grains.GetGrain<IRegistryGrain>(IRegistryGrain.Buyers).ListAsync(new PageRequest(500, null))).Ids, listed => listed == id);
    }

    [Fact]
    public async Task A_registry_write_whose_reply_was_lost_as_a_page_filled_loses_no_id_and_lists_none_twice()
    {
        var registry = Grains.GetGrain<IRegistryGrain>($"registry-lost-{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, PagedLog.PageSize + 1).Select(i => $"id-{i:D3}").ToList();
        foreach (var id in ids.Take(PagedLog.PageSize - 1))
        {
            await registry.AddAsync(id);
        }

        // The id that fills the first page lands with its page, but the registry never hears so.
        using (FaultyStorage.Arm($"{registry.GetPrimaryKeyString()}/registry", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => registry.AddAsync(ids[PagedLog.PageSize - 1]));
        }

        // The next registration, and the retries of both, as participants make them until they are listed.
        await AddUntilDoneAsync(ids[PagedLog.PageSize]);
        await AddUntilDoneAsync(ids[PagedLog.PageSize - 1]);
        await fixture.DeactivateAllAsync();

        var listed = (await registry.ListAsync(new PageRequest(500, null))).Ids;
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));

        async Task AddUntilDoneAsync(string id)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await registry.AddAsync(id);
                    return;
                }
                catch (Exception) when (attempt < 3)
                {
                    // A write refused for a stale etag deactivates the registry; the next attempt reads it afresh.
                }
            }
        }
    }

    [Fact]
    public async Task A_cooperative_index_write_whose_reply_was_lost_as_a_page_filled_keeps_every_lot_of_both_markets()
    {
        var cooperative = Grains.GetGrain<ICooperativeGrain>($"coop-pages-{Guid.NewGuid():N}");
        var fruit = Enumerable.Range(1, PagedLog.PageSize).Select(i => $"lot-fruit-{i:D3}").ToList();
        for (var entry = 1; entry < PagedLog.PageSize; entry++)
        {
            await cooperative.IndexAsync("fruit", [new IndexedEntry(entry, [fruit[entry - 1]], [])]);
        }

        // The fruit market's lot that fills the first page lands unheard; the rice market's next lot comes before
        // the fruit market retries. Each market retries until its entry is indexed.
        using (FaultyStorage.Arm($"{cooperative.GetPrimaryKeyString()}/cooperative", FaultyStorage.Kind.LoseReply))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.IndexAsync("fruit", [new IndexedEntry(PagedLog.PageSize, [fruit[^1]], [])]));
        }

        await IndexUntilDoneAsync("rice", 1, "lot-rice-001");
        await IndexUntilDoneAsync("fruit", PagedLog.PageSize, fruit[^1]);
        await fixture.DeactivateAllAsync();

        var listed = (await cooperative.GetLotIdsAsync(new PageRequest(500, null))).Ids;
        Assert.Equal([.. fruit, "lot-rice-001"], listed.Order(StringComparer.Ordinal));

        async Task IndexUntilDoneAsync(string product, long entry, string lotId)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await cooperative.IndexAsync(product, [new IndexedEntry(entry, [lotId], [])]);
                    return;
                }
                catch (Exception) when (attempt < 3)
                {
                    // As the market's projection does: the failed update is tried again at its next drain.
                }
            }
        }
    }

    [Fact]
    public async Task A_key_rotation_whose_write_failed_changes_nothing_and_its_retry_takes_effect()
    {
        var id = $"coop-rotate-{Guid.NewGuid():N}";
        var cooperative = Grains.GetGrain<ICooperativeGrain>(id);
        await cooperative.RegisterAsync(Cooperative(id), "body", "old-key");
        using (FaultyStorage.Arm($"{id}/cooperative"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => cooperative.ReplaceKeyAsync("new-key", "rotation-1"));
        }

        Assert.Equal("old-key", (await cooperative.GetAccountAsync())!.Credential.KeyHash);
        Assert.True(await cooperative.ReplaceKeyAsync("new-key", "rotation-1"));
        await fixture.DeactivateAllAsync();
        Assert.Equal("new-key", (await cooperative.GetAccountAsync())!.Credential.KeyHash);
    }

    [Fact]
    public async Task A_chain_member_retried_after_the_cooperative_failed_to_join_is_joined()
    {
        var coop = $"coop-member-{Guid.NewGuid():N}";
        await Grains.GetGrain<ICooperativeGrain>(coop).RegisterAsync(Cooperative(coop), "body", "key");
        var chainId = $"chain-member-{Guid.NewGuid():N}";
        var chain = Grains.GetGrain<IValueChainGrain>(chainId);
        await chain.CreateAsync(new ValueChain(chainId, "Chuỗi thử", ["dragon-fruit"], AllocationPolicy.ChainFirst, null, []), "chain");
        using (FaultyStorage.Arm($"{coop}/cooperative"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => chain.AddMemberAsync(new ChainMember(coop, "producer"), "add-1", "member"));
        }

        var retry = await chain.AddMemberAsync(new ChainMember(coop, "producer"), "add-1", "member");

        Assert.Equal(CommandOutcome.Replayed, retry.Outcome);
        Assert.Equal([chainId], (await Grains.GetGrain<ICooperativeGrain>(coop).GetChainsAsync()).Select(c => c.ValueChainId));
    }

    [Fact]
    public async Task Concurrent_reservations_never_pass_the_cap_together_and_filling_gives_room_back()
    {
        var allowance = Grains.GetGrain<IBuyerAllowanceGrain>($"buyer-cap-{Guid.NewGuid():N}");

        var granted = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => allowance.ReserveAsync($"request-{i}", "dragon-fruit", 100_000, 1_000_000)));

        Assert.Equal(10, granted.Count(g => g));
        var first = Array.IndexOf(granted, true);
        Assert.True(await allowance.ReserveAsync($"request-{first}", "dragon-fruit", 100_000, 1_000_000)); // a retry of a reservation held
        Assert.Equal(1_000_000L, await allowance.GetOpenGramsAsync());
        await allowance.ReleaseAsync([new RequestHold($"request-{first}", 40_000)]);
        await allowance.ReleaseAsync([new RequestHold($"request-{first}", 90_000)]); // never raised again
        Assert.Equal(940_000L, await allowance.GetOpenGramsAsync());
        Assert.True(await allowance.ReserveAsync("request-late", "dragon-fruit", 60_000, 1_000_000));
        Assert.False(await allowance.ReserveAsync("request-too-much", "dragon-fruit", 1, 1_000_000));
    }

    private static CooperativeProfile Cooperative(string id) =>
        new(id, "HTX thử", "HTX", "Đông Lai", "Tân Lạc", "Hòa Bình", 10, [], new GeoPlace("Đông Lai", 20.673, 105.327), DateTimeOffset.UnixEpoch);
}
