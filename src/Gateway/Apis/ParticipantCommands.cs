using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Places;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Validation;
using CoopMarket.Grains;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Apis;

/// <summary>What concerns a participant itself: registering cooperatives and buyers, verifying buyers, and their API
/// keys, which are issued nowhere else.</summary>
internal sealed class ParticipantCommands(IGrainFactory grains, [FromKeyedServices(MarketTime.ServiceKey)] TimeProvider clock, ApiKeys keys)
{
    private static readonly string[] CooperativeKinds = ["HTX", "THT"];
    /// <summary>The kinds of buyer the platform knows; the web app's picker offers the same list.</summary>
    public static readonly IReadOnlyList<string> BuyerKinds = ["supermarket", "wholesaler", "processor", "exporter", "restaurant", "other"];

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
            errors.Add("commune", "Unknown commune, district and province; known places: {0}.", string.Join(", ", Gazetteer.Places.Select(p => p.Name)));
        }

        if (errors.Any)
        {
            return Reply<CooperativeDto>.Invalid(errors);
        }

        var id = Idempotency.IdFor(ParticipantIds.CooperativePrefix, IRegistryGrain.Cooperatives, key);
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

        var id = Idempotency.IdFor(ParticipantIds.BuyerPrefix, IRegistryGrain.Buyers, key);
        var (apiKey, keyHash) = keys.Issue(id, key is null ? null : "registration");
        var result = await grains.GetGrain<IBuyerGrain>(id).RegisterAsync(
            new BuyerProfile(id, name, kind, province, location!, clock.GetUtcNow(), Verified: caller.IsAdmin,
                AllowanceScope: caller.IsAdmin ? null : $"address/{clientScope}"),
            Idempotency.HashOf(body), keyHash);
        return result.Outcome == CommandOutcome.KeyReused
            ? Reply<BuyerDto>.KeyReused()
            : new(result.Value!.ToDto() with { ApiKey = apiKey }, StatusCodes.Status201Created);
    }

    /// <summary>Replaces a participant's key with a new one, which is shown once; the old key stops working at once.</summary>
    public async Task<Reply<ApiKeyIssued>> RotateKeyAsync(string participantId, string? key, Caller caller)
    {
        if (!caller.MayAccess(participantId))
        {
            return Reply<ApiKeyIssued>.NotFound(Missing.Participant, participantId);
        }

        var (apiKey, keyHash) = keys.Issue(participantId, key is null ? null : $"rotation\n{key}");
        return await ReplaceKeyAsync(participantId, keyHash, key)
            ? new(new ApiKeyIssued(participantId, apiKey), StatusCodes.Status201Created)
            : Reply<ApiKeyIssued>.NotFound(Missing.Participant, participantId);
    }

    /// <summary>Revokes a participant's key: nothing authenticates as it until the administrator issues a new one.</summary>
    public async Task<Reply<ApiKeyIssued>> RevokeKeyAsync(string participantId, Caller caller) =>
        caller.MayAccess(participantId) && await ReplaceKeyAsync(participantId, null, null)
            ? new(new ApiKeyIssued(participantId, ""), StatusCodes.Status204NoContent)
            : Reply<ApiKeyIssued>.NotFound(Missing.Participant, participantId);

    public async Task<Reply<BuyerDto>> VerifyBuyerAsync(string buyerId, Caller caller)
    {
        var buyer = grains.GetGrain<IBuyerGrain>(buyerId);
        if (!caller.MayAccess(buyerId) || await buyer.GetAsync() is null)
        {
            return Reply<BuyerDto>.NotFound(Missing.Buyer, buyerId);
        }

        return caller.IsAdmin
            ? new((await buyer.VerifyAsync())!.ToDto(), StatusCodes.Status200OK)
            : Reply<BuyerDto>.Forbidden("Only the district office verifies buyers.");
    }

    private Task<bool> ReplaceKeyAsync(string participantId, string? keyHash, string? idempotencyKey) =>
        ParticipantIds.IsCooperative(participantId)
            ? grains.GetGrain<ICooperativeGrain>(participantId).ReplaceKeyAsync(keyHash, idempotencyKey)
            : ParticipantIds.IsBuyer(participantId)
                ? grains.GetGrain<IBuyerGrain>(participantId).ReplaceKeyAsync(keyHash, idempotencyKey)
                : Task.FromResult(false);
}
