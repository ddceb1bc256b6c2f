using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Places;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;
using CoopMarket.Matching;

namespace CoopMarket.Gateway;

/// <summary>Every change a participant can ask of the market: validated here, then carried out by the grains.
/// The HTTP API and the demo loader both go through it, so demo data obeys the same rules as real data.</summary>
internal sealed class MarketCommands(IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock, ApiKeys keys, IConfiguration configuration)
{
    private static readonly string[] CooperativeKinds = ["HTX", "THT"];
    private static readonly string[] BuyerKinds = ["supermarket", "wholesaler", "processor", "exporter", "restaurant", "other"];
    private static readonly string[] Roles = ["producer", "aggregator", "processor", "distributor"];

    private DateOnly Today => clock.Today();

    public async Task<Reply<CooperativeDto>> RegisterCooperativeAsync(RegisterCooperative body, string? key)
    {
        var errors = new FieldErrors(Today);
        var name = errors.Text("name", body.Name, FieldErrors.NameLength);
        var kind = errors.OneOf("kind", body.Kind, CooperativeKinds);
        var commune = errors.Text("commune", body.Commune, FieldErrors.PlaceNameLength);
        var district = errors.Text("district", body.District, FieldErrors.PlaceNameLength);
        var province = errors.Text("province", body.Province, FieldErrors.PlaceNameLength);
        if (body.Members is < 0 or > 1_000_000)
        {
            errors.Add("members", "A number of member households from 0 to 1,000,000.");
        }

        var certifications = errors.Certifications("certifications", body.Certifications);
        var location = errors.Any ? null : Gazetteer.Find(commune) ?? Gazetteer.Find(district) ?? Gazetteer.Find(province);
        if (!errors.Any && location is null)
        {
            errors.Add("commune", $"Unknown commune, district and province; known places: {string.Join(", ", Gazetteer.Places.Select(p => p.Name))}.");
        }

        if (errors.Any)
        {
            return Reply<CooperativeDto>.Invalid(errors);
        }

        var id = Idempotency.IdFor("coop", IRegistryGrain.Cooperatives, key);
        var profile = new CooperativeProfile(id, name, kind, commune, district, province, body.Members, certifications,
            location!, clock.GetUtcNow());
        var cooperative = grains.GetGrain<ICooperativeGrain>(id);
        var (apiKey, keyHash) = keys.Issue(id, key is null ? null : "registration");
        var result = await cooperative.RegisterAsync(profile, Idempotency.HashOf(body), keyHash);
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<CooperativeDto>.KeyReused()
            : new(result.Value!.ToDto(await cooperative.GetChainsAsync()) with { ApiKey = apiKey }, StatusCodes.Status201Created);
    }

    /// <summary>Anyone may register as a buyer, unverified; the administrator registers buyers already verified.
    /// <paramref name="clientScope"/> names the address a buyer registers itself from (see <see cref="ClientScope"/>).</summary>
    public async Task<Reply<BuyerDto>> RegisterBuyerAsync(RegisterBuyer body, string? key, Caller caller, string clientScope)
    {
        var errors = new FieldErrors(Today);
        var name = errors.Text("name", body.Name, FieldErrors.NameLength);
        var kind = errors.OneOf("kind", body.Kind, BuyerKinds);
        var province = errors.Text("province", body.Province, FieldErrors.PlaceNameLength);
        var location = errors.Place("location", body.Location);
        if (!errors.Any && location is null && (location = Gazetteer.Find(province)) is null)
        {
            errors.Add("location", "The province is not in the gazetteer: give a known place or {\"lat\": …, \"lon\": …}.");
        }

        if (errors.Any)
        {
            return Reply<BuyerDto>.Invalid(errors);
        }

        var id = Idempotency.IdFor("buyer", IRegistryGrain.Buyers, key);
        var (apiKey, keyHash) = keys.Issue(id, key is null ? null : "registration");
        var result = await grains.GetGrain<IBuyerGrain>(id).RegisterAsync(
            new BuyerProfile(id, name, kind, province, location!, clock.GetUtcNow(), Verified: caller.IsAdmin,
                AllowanceScope: caller.IsAdmin ? null : $"address/{clientScope}"),
            Idempotency.HashOf(body), keyHash);
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<BuyerDto>.KeyReused()
            : new(result.Value!.ToDto() with { ApiKey = apiKey }, StatusCodes.Status201Created);
    }

    public async Task<Reply<ValueChainDto>> CreateValueChainAsync(CreateValueChain body, string? key)
    {
        var errors = new FieldErrors(Today);
        var name = errors.Text("name", body.Name, FieldErrors.NameLength);
        var products = await KnownProductsAsync(errors, "products", body.Products);
        var policy = errors.OneOf("policy", body.Policy, Vocabulary.Policies, fallback: nameof(AllocationPolicy.PriceTime));
        if (policy == nameof(AllocationPolicy.Capped) && body.CapShare is not (> 0 and <= 1))
        {
            errors.Add("capShare", "A Capped chain needs a cap share of more than 0 and at most 1.");
        }
        else if (policy != nameof(AllocationPolicy.Capped) && body.CapShare is not null)
        {
            errors.Add("capShare", "Only a Capped chain has a cap share.");
        }

        if (errors.Any)
        {
            return Reply<ValueChainDto>.Invalid(errors);
        }

        var id = Idempotency.IdFor("chain", IRegistryGrain.ValueChains, key);
        var result = await grains.GetGrain<IValueChainGrain>(id).CreateAsync(new ValueChain(id, name, products, policy, body.CapShare, []),
            Idempotency.HashOf(body));
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<ValueChainDto>.KeyReused()
            : new(result.Value!.ToDto(), StatusCodes.Status201Created);
    }

    public async Task<Reply<ValueChainDto>> AddChainMemberAsync(string chainId, AddChainMember body, string? key)
    {
        var chain = grains.GetGrain<IValueChainGrain>(chainId);
        if (await chain.GetAsync() is null)
        {
            return Reply<ValueChainDto>.NotFound($"No value chain has the id '{chainId}'.");
        }

        var errors = new FieldErrors(Today);
        var cooperativeId = errors.Text("cooperativeId", body.CooperativeId, FieldErrors.NameLength);
        var role = errors.OneOf("role", body.Role, Roles, fallback: "producer");
        if (!errors.Any && await grains.GetGrain<ICooperativeGrain>(cooperativeId).GetAsync() is null)
        {
            errors.Add("cooperativeId", $"No cooperative has the id '{cooperativeId}'.");
        }

        if (errors.Any)
        {
            return Reply<ValueChainDto>.Invalid(errors);
        }

        var result = await chain.AddMemberAsync(new ChainMember(cooperativeId, role), key, Idempotency.HashOf(body));
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<ValueChainDto>.KeyReused()
            : new(result.Value!.ToDto(), StatusCodes.Status201Created);
    }

    public async Task<Reply<LotPosted>> PostLotAsync(string cooperativeId, PostLot body, string? key, Caller caller)
    {
        var cooperative = grains.GetGrain<ICooperativeGrain>(cooperativeId);
        if (!caller.MayAccess(cooperativeId) || await cooperative.GetAsync() is not { } profile)
        {
            return Reply<LotPosted>.NotFound($"No cooperative has the id '{cooperativeId}'.");
        }

        var errors = new FieldErrors(Today);
        var product = await KnownProductAsync(errors, "product", body.Product);
        var grams = errors.Grams("quantityKg", body.QuantityKg);
        var grade = errors.OneOf("grade", body.Grade, Vocabulary.Grades);
        var certifications = errors.Certifications("certifications", body.Certifications);
        var harvestFrom = errors.Date("harvestFrom", body.HarvestFrom);
        var harvestTo = errors.Date("harvestTo", body.HarvestTo);
        errors.Window("harvestTo", harvestFrom, harvestTo);
        if (product.Length > 0 && body.HarvestTo is not null && await grains.GetGrain<IProductGrain>(product).GetAsync() is { } info
            && harvestTo.AddDays(info.ShelfLifeDays) < Today)
        {
            errors.Add("harvestTo", $"Harvested by {harvestTo:yyyy-MM-dd}, the lot is past the product's {info.ShelfLifeDays} days of shelf life: it can no longer be sold fresh.");
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

        var chains = (await cooperative.GetChainsAsync()).Where(c => c.Products.Contains(product)).Select(c => c.ValueChainId).ToList();
        var lot = new LotTerms(Idempotency.IdFor("lot", cooperativeId, key), cooperativeId, product, grams, grade, certifications,
            harvestFrom, harvestTo, ask, minOrder, pickup, chains);
        var bodyHash = Idempotency.HashOf(body);
        var claim = await grains.GetGrain<ISupplyLotGrain>(lot.Id).ClaimAsync(bodyHash);
        var result = claim.Outcome == CommandOutcome.Done
            ? await grains.GetGrain<IMarketGrain>(product).PostLotAsync(lot, bodyHash)
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
        if (!caller.MayAccess(buyerId) || await grains.GetGrain<IBuyerGrain>(buyerId).GetAsync() is not { } buyer)
        {
            return Reply<RequestPlaced>.NotFound($"No buyer has the id '{buyerId}'.");
        }

        var errors = new FieldErrors(Today);
        var product = await KnownProductAsync(errors, "product", body.Product);
        var grams = errors.Grams("quantityKg", body.QuantityKg);
        var minGrade = errors.OneOf("minGrade", body.MinGrade, Vocabulary.Grades, fallback: nameof(Grade.C));
        var required = (body.RequiredCertifications ?? []).Select((s, i) => errors.OneOf($"requiredCertifications[{i}]", s, Vocabulary.RequiredSchemes)).Distinct().ToList();
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
        // projection gives the reservation back as the request fills, is cancelled or expires.
        var scope = buyer.AllowanceScope ?? buyerId;
        var allowance = buyer.Verified ? null : grains.GetGrain<IBuyerAllowanceGrain>(scope);
        if (allowance is not null && !await allowance.ReserveAsync(id, product, grams, UnverifiedOpenGrams))
        {
            return Reply<RequestPlaced>.Forbidden(
                $"An unverified buyer, together with the others registered from its address, may have at most {Dtos.Kg(UnverifiedOpenGrams)} kg in at most {IBuyerAllowanceGrain.MaxOpenRequests} requests unfilled at once; the district office verifies buyers.");
        }

        var request = new RequestTerms(id, buyerId, product, grams, minGrade, required, body.MinOcopStars ?? 0, deliverFrom, deliverBy,
            maxPrice, deliverTo, body.AllowPartial ?? true, chain?.Id, chain?.Policy, chain?.CapShare, allowance is null ? null : scope);
        return Answer(await grains.GetGrain<IMarketGrain>(product).PlaceRequestAsync(request, bodyHash));

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
            return Reply<LotDto>.NotFound($"No lot has the id '{lotId}'.");
        }

        if (lot.Status != LotView.Open)
        {
            return Reply<LotDto>.Conflict($"The lot is {lot.Status}: nothing is left to withdraw.");
        }

        var withdrawn = await grains.GetGrain<IMarketGrain>(lot.Terms.Product).WithdrawLotAsync(lotId);
        return withdrawn is null
            ? Reply<LotDto>.Conflict("The lot sold out meanwhile: nothing is left to withdraw.")
            : new(withdrawn.ToDto(), StatusCodes.Status200OK);
    }

    public async Task<Reply<RequestDto>> CancelRequestAsync(string requestId, Caller caller)
    {
        if (await grains.GetGrain<IPurchaseRequestGrain>(requestId).GetAsync() is not { } request || !caller.MayAccess(request.Terms.BuyerId))
        {
            return Reply<RequestDto>.NotFound($"No request has the id '{requestId}'.");
        }

        if (request.Status is RequestView.Filled or RequestView.Cancelled)
        {
            return Reply<RequestDto>.Conflict($"The request is {request.Status}: nothing is left to cancel.");
        }

        var cancelled = await grains.GetGrain<IMarketGrain>(request.Terms.Product).CancelRequestAsync(requestId);
        return cancelled is null
            ? Reply<RequestDto>.Conflict("The request was filled meanwhile: nothing is left to cancel.")
            : new(cancelled.ToDto(), StatusCodes.Status200OK);
    }

    /// <summary>Replaces a participant's key with a new one, which is shown once; the old key stops working at once.</summary>
    public async Task<Reply<ApiKeyIssued>> RotateKeyAsync(string participantId, string? key, Caller caller)
    {
        if (!caller.MayAccess(participantId))
        {
            return Reply<ApiKeyIssued>.NotFound($"No participant has the id '{participantId}'.");
        }

        var (apiKey, keyHash) = keys.Issue(participantId, key is null ? null : $"rotation\n{key}");
        return await ReplaceKeyAsync(participantId, keyHash, key)
            ? new(new ApiKeyIssued(participantId, apiKey), StatusCodes.Status201Created)
            : Reply<ApiKeyIssued>.NotFound($"No participant has the id '{participantId}'.");
    }

    /// <summary>Revokes a participant's key: nothing authenticates as it until the administrator issues a new one.</summary>
    public async Task<Reply<ApiKeyIssued>> RevokeKeyAsync(string participantId, Caller caller) =>
        caller.MayAccess(participantId) && await ReplaceKeyAsync(participantId, null, null)
            ? new(new ApiKeyIssued(participantId, ""), StatusCodes.Status204NoContent)
            : Reply<ApiKeyIssued>.NotFound($"No participant has the id '{participantId}'.");

    public async Task<Reply<BuyerDto>> VerifyBuyerAsync(string buyerId, Caller caller)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(buyerId);
        if (!caller.MayAccess(buyerId) || await buyer.GetAsync() is null)
        {
            return Reply<BuyerDto>.NotFound($"No buyer has the id '{buyerId}'.");
        }

        return caller.IsAdmin
            ? new((await buyer.VerifyAsync())!.ToDto(), StatusCodes.Status200OK)
            : Reply<BuyerDto>.Forbidden("Only the district office verifies buyers.");
    }

    private long UnverifiedOpenGrams => Grams.FromKg(configuration.GetValue("Auth:UnverifiedBuyerOpenKg", 1_000m));

    private Task<bool> ReplaceKeyAsync(string participantId, string? keyHash, string? idempotencyKey) =>
        participantId.StartsWith("coop-", StringComparison.Ordinal)
            ? grains.GetGrain<ICooperativeGrain>(participantId).ReplaceKeyAsync(keyHash, idempotencyKey)
            : participantId.StartsWith("buyer-", StringComparison.Ordinal)
                ? grains.GetGrain<IBuyerGrain>(participantId).ReplaceKeyAsync(keyHash, idempotencyKey)
                : Task.FromResult(false);

    private async Task<string> KnownProductAsync(FieldErrors errors, string field, string? code)
    {
        var text = errors.Text(field, code, FieldErrors.PlaceNameLength);
        if (text.Length > 0 && await grains.GetGrain<IProductGrain>(text).GetAsync() is null)
        {
            errors.Add(field, $"Unknown product '{text}'; see /api/products.");
        }

        return text;
    }

    private async Task<List<string>> KnownProductsAsync(FieldErrors errors, string field, IReadOnlyList<string>? codes)
    {
        if (codes is not { Count: > 0 })
        {
            errors.Add(field, "At least one product.");
            return [];
        }

        var known = new List<string>();
        foreach (var (code, i) in codes.Select((c, i) => (c, i)))
        {
            known.Add(await KnownProductAsync(errors, $"{field}[{i}]", code));
        }

        return [.. known.Distinct()];
    }
}
