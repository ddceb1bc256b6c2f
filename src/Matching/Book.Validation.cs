namespace CoopMarket.Matching;

// The book's own guard: the HTTP layer reports bad input per field before it gets here, but the book
// never trusts a caller to have done so.
public sealed partial class Book
{
    private void Validate(SupplyLot lot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lot.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(lot.CooperativeId);
        RequireProduct(lot.Product);
        Require(!lots.ContainsKey(lot.Id), $"Lot '{lot.Id}' is already in the book.");
        Require(MarketLimits.IsValidQuantity(lot.QuantityGrams), "A lot's quantity must be more than 0 and at most 10,000,000 kg.");
        Require(MarketLimits.IsValidPrice(lot.AskVndPerKg), "An ask must be more than 0 and at most 10,000,000 VND/kg.");
        Require(lot.MinOrderGrams >= 0 && lot.MinOrderGrams <= lot.QuantityGrams, "A minimum order must be between 0 and the lot's quantity.");
        Require(lot.Harvest.IsValid, "A harvest window must not end before it starts.");
        Require(Enum.IsDefined(lot.Grade), "Unknown grade.");
        Require(lot.Certifications.All(c => c.Stars is >= 0 and <= MarketLimits.MaxOcopStars), "OCOP stars are 0 to 5.");
    }

    private void Validate(PurchaseRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.BuyerId);
        RequireProduct(request.Product);
        Require(!requests.ContainsKey(request.Id), $"Request '{request.Id}' is already in the book.");
        Require(MarketLimits.IsValidQuantity(request.QuantityGrams), "A request's quantity must be more than 0 and at most 10,000,000 kg.");
        Require(MarketLimits.IsValidPrice(request.MaxVndPerKg), "A maximum price must be more than 0 and at most 10,000,000 VND/kg.");
        Require(request.Delivery.IsValid, "A delivery window must not end before it starts.");
        Require(Enum.IsDefined(request.MinGrade), "Unknown grade.");
        Require(request.MinOcopStars is >= 0 and <= MarketLimits.MaxOcopStars, "OCOP stars are 0 to 5.");
        Require((request.RequiredCertifications & CertificationScheme.Ocop) == 0, "OCOP is required with a minimum star level, not as a scheme.");
        if (request.Chain is { } chain)
        {
            Require(Enum.IsDefined(chain.Policy), "Unknown allocation policy.");
            Require(chain.CapShare is > 0 and <= 1, "A cap share must be more than 0 and at most 1.");
        }
    }

    private void RequireProduct(string product) =>
        Require(product == Product, $"This is the book of '{Product}', not of '{product}'.");

    private static void Require(bool rule, string message)
    {
        if (!rule)
        {
            throw new ArgumentException(message);
        }
    }
}
