using CoopMarket.Grains.Catalog;

namespace CoopMarket.Grains.Tests.Catalog;

[Collection(ClusterCollection.Name)]
public sealed class CatalogGrainTests(ClusterFixture fixture)
{
    private static readonly string[] DistrictCodes =
    [
        "dragon-fruit", "passion-fruit", "red-pomelo", "nam-son-mandarin", "chayote",
        "korean-radish", "safe-vegetables", "cage-fish", "ca-dam-xanh", "giao-co-lam-tea",
    ];

    [Fact]
    public async Task Silo_start_seeds_the_district_catalog()
    {
        var products = await fixture.Grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();

        Assert.Equal(DistrictCodes.Order(StringComparer.Ordinal), products.Select(p => p.Code));
        var pomelo = Assert.Single(products, p => p.Code == "red-pomelo");
        Assert.Equal("Bưởi đỏ", pomelo.NameVi);
        Assert.True(pomelo.IsInSeason(12) && pomelo.IsInSeason(1) && !pomelo.IsInSeason(6));
    }

    [Fact]
    public async Task Seeding_a_catalog_that_has_products_changes_nothing()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>("seed-twice");
        var tea = DistrictCatalog.Products.Single(p => p.Code == "giao-co-lam-tea");

        Assert.True(await catalog.SeedAsync([tea]));
        Assert.False(await catalog.SeedAsync(DistrictCatalog.Products));

        Assert.Equal(["giao-co-lam-tea"], (await catalog.ListAsync()).Select(p => p.Code));
    }

    [Fact]
    public async Task Put_adds_a_new_product_and_changes_an_existing_one()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>("put-products");
        var mushroom = new Product("test-mushroom", "Nấm sò", "Oyster mushroom", "kg", 1, 12, 4);

        await catalog.PutAsync(mushroom);
        await catalog.PutAsync(mushroom with { ShelfLifeDays = 6 });

        var stored = Assert.Single(await catalog.ListAsync());
        Assert.Equal(6, stored.ShelfLifeDays);
        Assert.Equal(stored, await fixture.Grains.GetGrain<IProductGrain>("test-mushroom").GetAsync());
    }

    [Fact]
    public async Task A_put_whose_list_write_failed_is_stored_when_put_again()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>("put-after-failed-write");
        var mushroom = new Product("test-mushroom-retry", "Nấm sò", "Oyster mushroom", "kg", 1, 12, 4);
        using (FaultyStorage.Arm("catalog/put-after-failed-write"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => catalog.PutAsync(mushroom));
        }

        await catalog.PutAsync(mushroom);

        var stored = await FaultyStorage.ReadAsync<CatalogState>("catalog", GrainId.Create("catalog", "put-after-failed-write"));
        Assert.Equal(["test-mushroom-retry"], stored!.Codes);
    }

    [Fact]
    public async Task A_list_that_interleaves_with_a_put_never_shows_a_listing_that_is_not_stored()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>("list-during-put");
        var mushroom = new Product("test-mushroom-interleaved", "Nấm sò", "Oyster mushroom", "kg", 1, 12, 4);
        await catalog.ListAsync();

        // The list's write hangs, then fails: lists that interleave with it meanwhile must not show what it never stored.
        var seen = new List<string>();
        using (FaultyStorage.Arm("catalog/list-during-put", delay: TimeSpan.FromMilliseconds(500)))
        {
            var put = catalog.PutAsync(mushroom);
            while (!put.IsCompleted)
            {
                seen.AddRange((await catalog.ListAsync()).Select(p => p.Code));
                await Task.Delay(20);
            }

            await Assert.ThrowsAnyAsync<Exception>(() => put);
        }

        Assert.DoesNotContain(mushroom.Code, seen);
        Assert.Empty(await catalog.ListAsync());
    }

    [Fact]
    public async Task A_product_change_whose_write_failed_is_not_shown_by_the_activation_that_tried_it()
    {
        var grain = fixture.Grains.GetGrain<IProductGrain>("test-change-failed");
        var mushroom = new Product("test-change-failed", "Nấm sò", "Oyster mushroom", "kg", 1, 12, 4);
        await grain.SetAsync(mushroom);

        using (FaultyStorage.Arm("product/test-change-failed", FaultyStorage.Kind.Fail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => grain.SetAsync(mushroom with { ShelfLifeDays = 9 }));
        }

        // Markets read the shelf life from here: it must be what storage holds, not the change that never landed.
        Assert.Equal(4, (await grain.GetAsync())!.ShelfLifeDays);
        var stored = await FaultyStorage.ReadAsync<ProductState>("product", GrainId.Create("product", "test-change-failed"));
        Assert.Equal(4, stored!.Product!.ShelfLifeDays);
    }

    [Fact]
    public async Task A_product_grain_refuses_a_product_with_another_code()
    {
        var grain = fixture.Grains.GetGrain<IProductGrain>("test-wrong-key");
        var chayote = DistrictCatalog.Products.Single(p => p.Code == "chayote");

        await Assert.ThrowsAsync<ArgumentException>(() => grain.SetAsync(chayote));
        Assert.Null(await grain.GetAsync());
    }
}
