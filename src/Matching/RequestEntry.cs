namespace CoopMarket.Matching;

/// <summary>A request in a book, with what it still needs and, for capped chains, what each cooperative took.</summary>
internal sealed class RequestEntry(PurchaseRequest request, long sequence, long remainingGrams)
{
    public PurchaseRequest Request { get; } = request;
    public long Sequence { get; } = sequence;
    public long RemainingGrams { get; set; } = remainingGrams;
    public int DeliverFrom { get; } = request.Delivery.From.DayNumber;
    public int DeliverBy { get; } = request.Delivery.To.DayNumber;
    public Dictionary<string, long> TakenByCooperative { get; } = new(StringComparer.Ordinal);

    /// <summary>How much more <paramref name="cooperativeId"/> may take of this request under its chain's cap.</summary>
    public long CapRoomFor(string cooperativeId)
    {
        if (Request.Chain is not { Policy: AllocationPolicy.Capped } chain)
        {
            return long.MaxValue;
        }

        return chain.CapGrams(Request.QuantityGrams) - TakenByCooperative.GetValueOrDefault(cooperativeId);
    }

    public bool IsMember(LotEntry lot) => Request.Chain is { } chain && lot.Lot.IsMemberOf(chain.ValueChainId);
}
