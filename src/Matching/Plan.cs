namespace CoopMarket.Matching;

/// <summary>The takes a request would make, worked out before anything changes so an all-or-none request that
/// cannot be filled leaves the book exactly as it was.</summary>
internal sealed class Plan(RequestEntry request)
{
    private readonly Dictionary<string, long> plannedByCooperative = new(StringComparer.Ordinal);

    public RequestEntry Request { get; } = request;
    public List<(Candidate Candidate, long Grams)> Takes { get; } = [];
    public long NeedGrams { get; private set; } = request.RemainingGrams;
    public bool IsComplete => NeedGrams == 0;

    /// <summary>Takes what the lot can give: no more than needed, than it has, than the cap allows, and never
    /// less than its minimum order unless that empties it.</summary>
    public bool TryTake(in Candidate candidate) => TryTake(candidate, NeedGrams);

    public bool TryTake(in Candidate candidate, long upToGrams)
    {
        var lot = candidate.Lot;
        var cooperative = lot.Lot.CooperativeId;
        var capRoom = Request.CapRoomFor(cooperative) - plannedByCooperative.GetValueOrDefault(cooperative);
        var grams = Math.Min(Math.Min(upToGrams, NeedGrams), Math.Min(lot.RemainingGrams, capRoom));
        if (grams <= 0 || grams < Math.Min(lot.Lot.MinOrderGrams, lot.RemainingGrams))
        {
            return false;
        }

        Takes.Add((candidate, grams));
        NeedGrams -= grams;
        plannedByCooperative[cooperative] = plannedByCooperative.GetValueOrDefault(cooperative) + grams;
        return true;
    }
}
