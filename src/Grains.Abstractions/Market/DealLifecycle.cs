namespace CoopMarket.Grains.Market;

/// <summary>A step a participant takes on a deal.</summary>
public enum DealStep
{
    Confirm,
    Reject,
    Ship,
    Deliver,
    Settle,
    Cancel,
}

/// <summary>The two sides of a deal.</summary>
public enum DealSide
{
    Cooperative,
    Buyer,
}

/// <summary>The deal lifecycle's rules, in one place: who may take which step from which status, and what it leads to.
/// <c>proposed</c> → <c>confirmed</c> | <c>rejected</c> | <c>expired</c> | <c>cancelled</c>; <c>confirmed</c> →
/// <c>shipped</c> | <c>cancelled</c>; <c>shipped</c> → <c>delivered</c> → <c>settled</c>.</summary>
/// <remarks>A lot's shortfall (the cooperative reports it has less) shrinks its deals that have not shipped, newest first:
/// a deal that keeps some grams keeps its status with a smaller quantity; one that keeps none becomes <c>shorted</c>,
/// final. Either way its request gets the grams back and is sourced again at once. A delivery short of what shipped
/// gives the missing grams back to the request too, and the deal stays <c>delivered</c> with both quantities.</remarks>
public static class DealLifecycle
{
    /// <summary>The status a step leads to.</summary>
    public static string Target(DealStep step) => step switch
    {
        DealStep.Confirm => Deal.Confirmed,
        DealStep.Reject => Deal.Rejected,
        DealStep.Ship => Deal.Shipped,
        DealStep.Deliver => Deal.Delivered,
        DealStep.Settle => Deal.Settled,
        DealStep.Cancel => Deal.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown deal step."),
    };

    /// <summary>Whether <paramref name="side"/> may take <paramref name="step"/>: the cooperative confirms, rejects and
    /// ships; the buyer records delivery and settlement; either side may cancel.</summary>
    public static bool MayTake(DealSide side, DealStep step) => step switch
    {
        DealStep.Confirm or DealStep.Reject or DealStep.Ship => side == DealSide.Cooperative,
        DealStep.Deliver or DealStep.Settle => side == DealSide.Buyer,
        _ => true,
    };

    /// <summary>Whether a deal in <paramref name="status"/> may take <paramref name="step"/>.</summary>
    public static bool Allows(string status, DealStep step) => step switch
    {
        DealStep.Confirm or DealStep.Reject => status == Deal.Proposed,
        DealStep.Ship => status == Deal.Confirmed,
        DealStep.Deliver => status == Deal.Shipped,
        DealStep.Settle => status == Deal.Delivered,
        DealStep.Cancel => status is Deal.Proposed or Deal.Confirmed,
        _ => false,
    };

    /// <summary>Statuses whose grams went back to the lot and the request.</summary>
    public static bool GaveGramsBack(string status) => status is Deal.Rejected or Deal.Expired or Deal.Cancelled;

    /// <summary>Statuses from which a deal can still give grams back: to its lot and request (reject, expiry, cancellation,
    /// or to the request only a shortfall of its lot), or, once shipped, to its request (a delivery short of what shipped).</summary>
    public static bool MayGiveGramsBack(string status) => status is Deal.Proposed or Deal.Confirmed or Deal.Shipped;

    /// <summary>Statuses a lot's shortfall may shrink: the goods have not left.</summary>
    public static bool MayShrink(string status) => status is Deal.Proposed or Deal.Confirmed;

    /// <summary>Statuses a deal never leaves.</summary>
    public static bool IsFinal(string status) => GaveGramsBack(status) || status is Deal.Settled or Deal.Shorted;
}

/// <summary>What one market entry did to a deal: carried to the deal's record and, by the notifications, to both sides.</summary>
/// <param name="Version">The market's journal entry number: the record ignores a change it already has.</param>
/// <param name="Actor">The side that took the step; null when the market's clock did (expiry).</param>
/// <param name="Key">The idempotency key the step was taken with, so a retry with it gets the same answer.</param>
/// <param name="QuantityGrams">The deal's grams after the change.</param>
/// <param name="ShortGrams">Grams a shortfall of the lot took off the deal (its request got them back).</param>
/// <param name="UndeliveredGrams">Grams shipped but not delivered (its request got them back).</param>
/// <param name="Rule">The cooperative's auto-confirm rule that took the step for it as the market made the deal
/// (<c>buyer:{id}</c> or <c>valueChain:{id}</c>, see <see cref="Participants.AutoConfirmRules"/>); null when a person did.</param>
[GenerateSerializer, Immutable]
public sealed record DealChange(
    [property: Id(0)] string DealId,
    [property: Id(1)] long Version,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string LotId,
    [property: Id(5)] string RequestId,
    [property: Id(6)] string CooperativeId,
    [property: Id(7)] string BuyerId,
    [property: Id(8)] long QuantityGrams,
    [property: Id(9)] DealSide? Actor,
    [property: Id(10)] string? Key,
    [property: Id(11)] string? TraceCode = null,
    [property: Id(12)] long? DeliveredGrams = null,
    [property: Id(13)] string? Reference = null,
    [property: Id(14)] long ShortGrams = 0,
    [property: Id(15)] long UndeliveredGrams = 0,
    [property: Id(16)] string? Rule = null);

/// <summary>A participant's step on a deal, as the gateway validated it.</summary>
[GenerateSerializer, Immutable]
public sealed record DealCommand(
    [property: Id(0)] string DealId,
    [property: Id(1)] DealStep Step,
    [property: Id(2)] DealSide Side,
    [property: Id(3)] string? Key,
    [property: Id(4)] long? DeliveredGrams = null,
    [property: Id(5)] string? Reference = null);

/// <summary>How the market answered a step on a deal.</summary>
public enum DealStepOutcome
{
    /// <summary>Taken now; <see cref="DealStepResult.Change"/> says what changed.</summary>
    Done,

    /// <summary>Taken before with the same idempotency key: nothing changed.</summary>
    Replayed,

    /// <summary>The deal's status does not allow the step (<see cref="DealStepResult.Status"/> says what it is).</summary>
    Illegal,

    /// <summary>The step belongs to the deal's other side.</summary>
    WrongSide,

    /// <summary>The market holds no such deal in progress: it never made it, or the deal is final.</summary>
    NotLive,
}

[GenerateSerializer, Immutable]
public sealed record DealStepResult(
    [property: Id(0)] DealStepOutcome Outcome,
    [property: Id(1)] DealChange? Change,
    [property: Id(2)] string? Status = null);
