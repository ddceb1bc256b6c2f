using System.Globalization;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Apis;

/// <summary>What participants ask of the market itself: post and withdraw lots, place and cancel requests. Validated
/// here, then carried out by the grains; the HTTP API and the demo loader both go through it, so demo data obeys the
/// same rules as real data.</summary>
internal sealed class MarketCommands(
    IGrainFactory grains, KnownProducts catalog, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock, IOptions<AuthOptions> auth)
{
    private DateOnly Today => clock.Today();

    public async Task<Reply<LotPosted>> PostLotAsync(string cooperativeId, PostLot body, string? key, Caller caller)
    {
        if (!caller.MayAccess(cooperativeId) || await AccountAsync<ICooperativeGrain, CooperativeProfile>(cooperativeId, caller) is not var (profile, memberships))
        {
            return Reply<LotPosted>.NotFound(Missing.Cooperative, cooperativeId);
        }

        var errors = new FieldErrors(Today);
        // Read fresh, not from what the gateway remembers of the catalog: the shelf life below may have changed.
        var (product, info) = await catalog.ReadAsync(errors, "product", body.Product);
        var grams = errors.Grams("quantityKg", body.QuantityKg);
        var grade = errors.OneOf("grade", body.Grade, Vocabulary.GradeValues);
        var certifications = errors.Certifications("certifications", body.Certifications);
        var harvestFrom = errors.Date("harvestFrom", body.HarvestFrom);
        var harvestTo = errors.Date("harvestTo", body.HarvestTo);
        errors.Window("harvestTo", harvestFrom, harvestTo);
        if (info is not null && body.HarvestTo is not null && harvestTo.AddDays(info.ShelfLifeDays) < Today)
        {
            errors.Add("harvestTo", "Harvested by {0}, the lot is past the product's {1} days of shelf life: it can no longer be sold fresh.",
                harvestTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), info.ShelfLifeDays);
        }
        var ask = errors.Price("askVndPerKg", body.AskVndPerKg);
        var minOrder = errors.Grams("minOrderKg", body.MinOrderKg, required: false, allowZero: true);
        if (minOrder > grams && grams > 0)
        {
            errors.Add("minOrderKg", "A minimum order cannot be more than the lot.");
        }

        var pickup = errors.Place("pickupCommune", body.PickupCommune) ?? profile.Location;
        if (errors.Any)
        {
            return Reply<LotPosted>.Invalid(errors);
        }

        var chains = memberships.Where(c => c.Products.Contains(product)).Select(c => c.ValueChainId).ToList();
        var lot = new LotTerms(Idempotency.IdFor("lot", cooperativeId, key), cooperativeId, product, grams, grade, certifications,
            harvestFrom, harvestTo, ask, minOrder, pickup, chains);
        var bodyHash = Idempotency.HashOf(body);
        var claim = await grains.GetGrain<ISupplyLotGrain>(lot.Id).ClaimAsync(bodyHash);
        var result = claim.Outcome == CommandOutcome.Done
            ? await grains.GetGrain<IMarketGrain>(product).PostLotAsync(lot, bodyHash, claim.Retried)
            : new CommandResult<Receipt>(claim.Outcome, claim.Receipt);
        if (result.Outcome == CommandOutcome.KeyReused)
        {
            return Reply<LotPosted>.KeyReused();
        }

        var receipt = result.Value!;
        return new(new LotPosted(receipt.Id, receipt.Status, Dtos.Kg(receipt.RemainingGrams), Dtos.Kg(receipt.FilledGrams),
            [.. receipt.Deals.Select(d => d.ToDto())]), StatusCodes.Status201Created);
    }

    public async Task<Reply<RequestPlaced>> PlaceRequestAsync(string buyerId, PlaceRequest body, string? key, Caller caller)
    {
        if (!caller.MayAccess(buyerId) || await AccountAsync<IBuyerGrain, BuyerProfile>(buyerId, caller) is not var (buyer, _))
        {
            return Reply<RequestPlaced>.NotFound(Missing.Buyer, buyerId);
        }

        var errors = new FieldErrors(Today);
        var product = await catalog.CheckAsync(errors, "product", body.Product);
        var grams = errors.Grams("quantityKg", body.QuantityKg);
        var minGrade = errors.OneOf("minGrade", body.MinGrade, Vocabulary.GradeValues, fallback: Grade.C);
        var required = (body.RequiredCertifications ?? []).Select((s, i) => errors.OneOf($"requiredCertifications[{i}]", s, Vocabulary.RequiredSchemeValues)).Distinct().ToList();
        if (body.MinOcopStars is < 0 or > 5)
        {
            errors.Add("minOcopStars", "From 0 to 5 stars.");
        }

        var deliverFrom = errors.Date("deliverFrom", body.DeliverFrom);
        var deliverBy = errors.Date("deliverBy", body.DeliverBy);
        errors.Window("deliverBy", deliverFrom, deliverBy);
        if (body.DeliverBy is { } by && by < Today)
        {
            errors.Add("deliverBy", "A delivery window may not end in the past.");
        }

        var maxPrice = errors.Price("maxVndPerKg", body.MaxVndPerKg);
        var deliverTo = errors.Place("deliveryLocation", body.DeliveryLocation) ?? buyer.Location;
        ValueChain? chain = null;
        if (body.ValueChainId is { } chainId)
        {
            chain = await grains.GetGrain<IValueChainGrain>(errors.Text("valueChainId", chainId, FieldErrors.NameLength)).GetAsync();
            if (chain is null || !chain.Products.Contains(product))
            {
                errors.Add("valueChainId", "No value chain with this id trades this product.");
            }
        }

        if (errors.Any)
        {
            return Reply<RequestPlaced>.Invalid(errors);
        }

        var id = Idempotency.IdFor("request", buyerId, key);
        var bodyHash = Idempotency.HashOf(body);
        var claim = await grains.GetGrain<IPurchaseRequestGrain>(id).ClaimAsync(bodyHash);
        if (claim.Outcome != CommandOutcome.Done)
        {
            return Answer(new CommandResult<Receipt>(claim.Outcome, claim.Receipt));
        }

        // An unverified buyer's open kilograms have one owner, which checks and reserves in one step; the market's
        // projection gives the reservation back as the grams are delivered, or left unfilled by a cancellation or expiry.
        var scope = buyer.AllowanceScope ?? buyerId;
        var allowance = buyer.Verified ? null : grains.GetGrain<IBuyerAllowanceGrain>(scope);
        if (allowance is not null && !await allowance.ReserveAsync(id, product, grams, UnverifiedOpenGrams))
        {
            return Reply<RequestPlaced>.Forbidden(
                "An unverified buyer, together with the others registered from its address, may have at most {0} kg, in at most {1} requests, requested and not yet delivered at once; the district office verifies buyers.",
                Dtos.Kg(UnverifiedOpenGrams), IBuyerAllowanceGrain.MaxOpenRequests);
        }

        var request = new RequestTerms(id, buyerId, product, grams, minGrade, required, body.MinOcopStars ?? 0, deliverFrom, deliverBy,
            maxPrice, deliverTo, body.AllowPartial ?? true, chain?.Id, chain?.Policy, chain?.CapShare, allowance is null ? null : scope);
        return Answer(await grains.GetGrain<IMarketGrain>(product).PlaceRequestAsync(request, bodyHash, claim.Retried));

        static Reply<RequestPlaced> Answer(CommandResult<Receipt> result)
        {
            if (result.Outcome == CommandOutcome.KeyReused)
            {
                return Reply<RequestPlaced>.KeyReused();
            }

            var receipt = result.Value!;
            return new(new RequestPlaced(receipt.Id, receipt.Status, Dtos.Kg(receipt.FilledGrams), Dtos.Kg(receipt.RemainingGrams),
                [.. receipt.Deals.Select(d => d.ToDto())]), StatusCodes.Status201Created);
        }
    }

    public async Task<Reply<LotDto>> WithdrawLotAsync(string lotId, Caller caller)
    {
        if (await grains.GetGrain<ISupplyLotGrain>(lotId).GetAsync() is not { } lot || !caller.MayAccess(lot.Terms.CooperativeId))
        {
            return Reply<LotDto>.NotFound(Missing.Lot, lotId);
        }

        if (lot.Status != LotView.Open)
        {
            return Reply<LotDto>.Conflict("The lot is {0}: nothing is left to withdraw.", new StatusWord(lot.Status));
        }

        var withdrawn = await grains.GetGrain<IMarketGrain>(lot.Terms.Product).WithdrawLotAsync(lotId);
        return withdrawn is null
            ? Reply<LotDto>.Conflict("The lot sold out meanwhile: nothing is left to withdraw.")
            : new(withdrawn.ToDto(), StatusCodes.Status200OK);
    }

    /// <summary>Checks in the order that tells a stranger nothing: 404, then 403 (the administrator sees the lot, but only
    /// its cooperative knows its harvest), then the body (400), then a retry with the key, then the lot's state (409).</summary>
    public async Task<Reply<LotDto>> ReportShortfallAsync(string lotId, ReportShortfall body, string? key, Caller caller)
    {
        var record = grains.GetGrain<ISupplyLotGrain>(lotId);
        if (await record.GetAsync() is not { } lot || !caller.MayAccess(lot.Terms.CooperativeId))
        {
            return Reply<LotDto>.NotFound(Missing.Lot, lotId);
        }

        if (caller.ParticipantId != lot.Terms.CooperativeId)
        {
            return Reply<LotDto>.Forbidden("Only the lot's cooperative reports a shortfall of its harvest.");
        }

        var errors = new FieldErrors(Today);
        var grams = errors.Grams(NewQuantityKg, body.NewQuantityKg, allowZero: true);
        if (errors.Any)
        {
            return Reply<LotDto>.Invalid(errors);
        }

        if (key is not null && await record.FindShortfallAsync(key) is { } earlier)
        {
            return earlier.NewQuantityGrams == grams ? new((await record.GetAsync() ?? lot).ToDto(), StatusCodes.Status200OK) : Reply<LotDto>.KeyReused();
        }

        if (lot.Status is not (LotView.Open or LotView.Sold))
        {
            return Reply<LotDto>.Conflict("The lot is {0}: its quantity can no longer change.", new StatusWord(lot.Status));
        }

        var result = await grains.GetGrain<IMarketGrain>(lot.Terms.Product).ReportShortfallAsync(new LotShortfall(lotId, grams, key));
        switch (result.Outcome)
        {
            case ShortfallOutcome.Done or ShortfallOutcome.Replayed:
                return new(result.Lot!.ToDto(), StatusCodes.Status200OK);
            case ShortfallOutcome.KeyReused:
                return Reply<LotDto>.KeyReused();
            case ShortfallOutcome.NotLess:
                errors.Add(NewQuantityKg, "Less than the {0} kg the lot holds now.", Dtos.Kg(result.QuantityGrams));
                return Reply<LotDto>.Invalid(errors);
            case ShortfallOutcome.BelowShipped:
                errors.Add(NewQuantityKg, "At least the {0} kg already shipped.", Dtos.Kg(result.LeastGrams));
                return Reply<LotDto>.Invalid(errors);
            default:
                return Reply<LotDto>.Conflict("Every kilogram of the lot has shipped or left the market: its quantity can no longer change.");
        }
    }

    public async Task<Reply<RequestDto>> CancelRequestAsync(string requestId, Caller caller)
    {
        if (await grains.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync() is not { } request || !caller.MayAccess(request.Terms.BuyerId))
        {
            return Reply<RequestDto>.NotFound(Missing.Request, requestId);
        }

        if (request.Status is RequestView.Filled or RequestView.Cancelled)
        {
            return Reply<RequestDto>.Conflict("The request is {0}: nothing is left to cancel.", new StatusWord(request.Status));
        }

        var cancelled = await grains.GetGrain<IMarketGrain>(request.Terms.Product).CancelRequestAsync(requestId);
        return cancelled is null
            ? Reply<RequestDto>.Conflict("The request was filled meanwhile: nothing is left to cancel.")
            : new(cancelled.ToDto(), StatusCodes.Status200OK);
    }

    private const string NewQuantityKg = "newQuantityKg";

    /// <summary>The participant's profile and value chains: from the account authenticating the request read when the
    /// caller is the participant itself, else (the administrator, the demo loader) from its grain, in one call.</summary>
    private async Task<(TProfile Profile, IReadOnlyList<ChainMembership> Chains)?> AccountAsync<TGrain, TProfile>(string participantId, Caller caller)
        where TGrain : IParticipantGrain<TProfile>
        where TProfile : class =>
        (caller.OwnAccount<TProfile>(participantId) ?? await grains.GetGrain<TGrain>(participantId).GetAccountAsync()) is { } account
            ? (account.Profile, account.Chains)
            : null;

    private long UnverifiedOpenGrams => Grams.FromKg(auth.Value.UnverifiedBuyerOpenKg);
}
