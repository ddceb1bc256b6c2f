namespace CoopMarket.Matching;

/// <summary>What a buyer wants: product, quantity, quality, delivery window and place, and the most it pays.</summary>
/// <param name="RequiredCertifications">Every scheme here must be held, valid on the delivery day (OCOP is asked with <paramref name="MinOcopStars"/>).</param>
/// <param name="MinOcopStars">0 when the buyer asks for no OCOP rating.</param>
/// <param name="AllowPartial">False: all or none — the request matches only when its whole quantity can be gathered at once.</param>
/// <param name="Chain">The value chain the request is placed through, with its allocation policy; null for the open market.</param>
public sealed record PurchaseRequest(
    string Id,
    string BuyerId,
    string Product,
    long QuantityGrams,
    Grade MinGrade,
    CertificationScheme RequiredCertifications,
    int MinOcopStars,
    DateWindow Delivery,
    long MaxVndPerKg,
    Place DeliverTo,
    bool AllowPartial = true,
    ChainTerms? Chain = null)
{
    public AllocationPolicy Policy => Chain?.Policy ?? AllocationPolicy.PriceTime;
}
