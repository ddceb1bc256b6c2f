namespace CoopMarket.Grains.Market;

/// <summary>How a lot's or a request's record answers a command that would create it.</summary>
internal static class RecordClaims
{
    /// <summary>The answer for a record holding <paramref name="claimedHash"/> (null when unclaimed) and, once the
    /// market's entry reached it, the first <paramref name="receipt"/>.</summary>
    public static Claim Answer(string? claimedHash, Receipt? receipt, string bodyHash) => claimedHash switch
    {
        null => new Claim(CommandOutcome.Done, null),
        _ when claimedHash != bodyHash => new Claim(CommandOutcome.KeyReused, null),
        _ when receipt is not null => new Claim(CommandOutcome.Replayed, receipt),
        _ => new Claim(CommandOutcome.Done, null, Retried: true),
    };
}
