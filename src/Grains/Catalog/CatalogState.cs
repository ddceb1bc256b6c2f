namespace CoopMarket.Grains.Catalog;

[GenerateSerializer]
internal sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Codes { get; set; } = new(StringComparer.Ordinal);
}
