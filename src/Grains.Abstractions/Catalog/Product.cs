namespace CoopMarket.Grains.Catalog;

/// <summary>A product of the district's catalog, as a buyer and a cooperative both know it.</summary>
/// <param name="Code">Stable code used in URLs and in every lot and request, e.g. <c>dragon-fruit</c>.</param>
/// <param name="NameVi">Vietnamese name, with its diacritics.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Unit">Trading unit, e.g. <c>kg</c> or <c>kg, live</c>.</param>
/// <param name="SeasonFromMonth">First month (1–12) of the natural season.</param>
/// <param name="SeasonToMonth">Last month of the natural season; smaller than the first when the season crosses new year.</param>
/// <param name="ShelfLifeDays">Days a harvest keeps after picking; the matching engine's freshness rule uses it.</param>
/// <param name="Note">What a buyer should know, e.g. when off-season lots come.</param>
[GenerateSerializer, Immutable]
public sealed record Product(
    [property: Id(0)] string Code,
    [property: Id(1)] string NameVi,
    [property: Id(2)] string NameEn,
    [property: Id(3)] string Unit,
    [property: Id(4)] int SeasonFromMonth,
    [property: Id(5)] int SeasonToMonth,
    [property: Id(6)] int ShelfLifeDays,
    [property: Id(7)] string? Note = null)
{
    /// <summary>Whether <paramref name="month"/> falls in the natural season, wrapping over new year.</summary>
    public bool IsInSeason(int month) => SeasonFromMonth <= SeasonToMonth
        ? month >= SeasonFromMonth && month <= SeasonToMonth
        : month >= SeasonFromMonth || month <= SeasonToMonth;
}
