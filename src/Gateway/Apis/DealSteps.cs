using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Market;

namespace CoopMarket.Gateway.Apis;

/// <summary>A participant's steps on a deal: who may take one is checked here against the deal's record, and the
/// market, which owns the deal's kilograms, decides whether its status allows it.</summary>
internal sealed class DealSteps(IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock)
{
    public const int ReferenceLength = 100;

    public Task<Reply<DealDto>> TakeAsync(string dealId, DealStep step, string? key, Caller caller) =>
        TakeAsync(dealId, step, key, caller, null);

    public Task<Reply<DealDto>> DeliverAsync(string dealId, RecordDelivery body, string? key, Caller caller) =>
        TakeAsync(dealId, DealStep.Deliver, key, caller, (errors, deal) =>
        {
            var grams = errors.Grams("deliveredKg", body.DeliveredKg, allowZero: true);
            if (!errors.Any && grams > deal.QuantityGrams)
            {
                errors.Add("deliveredKg", "At most the {0} kg shipped.", Dtos.Kg(deal.QuantityGrams));
            }

            return (grams, null);
        });

    public Task<Reply<DealDto>> SettleAsync(string dealId, RecordSettlement body, string? key, Caller caller) =>
        TakeAsync(dealId, DealStep.Settle, key, caller, (errors, _) => (null, errors.Text("reference", body.Reference, ReferenceLength)));

    // read validates the step's body only once the caller is known to be the side the step belongs to: a stranger
    // learns nothing of the deal, not even whether its body would do (401, 404, 403, then 400, then 409).
    private async Task<Reply<DealDto>> TakeAsync(string dealId, DealStep step, string? key, Caller caller,
        Func<FieldErrors, Deal, (long? DeliveredGrams, string? Reference)>? read)
    {
        var record = grains.GetGrain<IDealGrain>(dealId);
        if (await record.GetAsync() is not { } deal || !caller.MayAccessDeal(deal.CooperativeId, deal.BuyerId))
        {
            return Reply<DealDto>.NotFound(Missing.Deal, dealId);
        }

        var side = caller.ParticipantId == deal.CooperativeId ? DealSide.Cooperative
            : caller.ParticipantId == deal.BuyerId ? DealSide.Buyer
            : (DealSide?)null;
        if (side is not { } actor || !DealLifecycle.MayTake(actor, step))
        {
            return Reply<DealDto>.Forbidden(step is DealStep.Deliver or DealStep.Settle
                ? "Only the deal's buyer records delivery and settlement."
                : "Only the deal's cooperative confirms, rejects and ships it; either side may cancel.");
        }

        var errors = new FieldErrors(clock.Today());
        var (deliveredGrams, reference) = read?.Invoke(errors, deal) ?? (null, null);
        if (errors.Any)
        {
            return Reply<DealDto>.Invalid(errors);
        }

        var target = DealLifecycle.Target(step);
        if (key is not null && await record.FindStepAsync(target, key) is { } taken)
        {
            return Answer(taken, deliveredGrams, reference, await record.GetAsync() ?? deal);
        }

        var result = await grains.GetGrain<IMarketGrain>(deal.Product).TakeDealStepAsync(new DealCommand(dealId, step, actor, key, deliveredGrams, reference));
        switch (result.Outcome)
        {
            case DealStepOutcome.Done or DealStepOutcome.Replayed:
                // The market's own drain brought the record up to date; should that have failed, the answer is built
                // from the change the market decided, which the record will get on the market's retry.
                var now = await record.GetAsync() ?? deal;
                return Answer(result.Change!, deliveredGrams, reference, now.Status == result.Change!.Status ? now : now.After(result.Change));
            case DealStepOutcome.WrongSide:
                return Reply<DealDto>.Forbidden("The step belongs to the deal's other side.");
            case DealStepOutcome.Illegal:
                // An illegal step's result always names the status the deal is in.
                return Reply<DealDto>.Conflict("The deal is {0}: it cannot be {1} now.", new StatusWord(result.Status!), new StatusWord(target));
            default:
                // The market no longer follows the deal: it is final. A retry of the step that made it so is answered again.
                var final = await record.GetAsync() ?? deal;
                return key is not null && await record.FindStepAsync(target, key) is { } finished
                    ? Answer(finished, deliveredGrams, reference, final)
                    : Reply<DealDto>.Conflict("The deal is {0}: nothing more can happen to it.", new StatusWord(final.Status));
        }
    }

    /// <summary>The deal as the step left it, or 422 when the key was first used with another body.</summary>
    private static Reply<DealDto> Answer(DealChange change, long? deliveredGrams, string? reference, Deal deal) =>
        change.DeliveredGrams != deliveredGrams || change.Reference != reference
            ? Reply<DealDto>.KeyReused()
            : new(deal.ToDto(), StatusCodes.Status200OK);
}
