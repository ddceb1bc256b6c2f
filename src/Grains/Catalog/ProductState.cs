namespace CoopMarket.Grains.Catalog;

[GenerateSerializer]
internal sealed class ProductState
{
    [Id(0)] public Product? Product { get; set; }
}
