using CoopMarket.Gateway.Apis;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Participants;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Admin;

/// <summary>The value chains and their member cooperatives, by name.</summary>
internal sealed class ValueChainsModel(IGrainFactory grains) : PageModel
{
    public Listing<ValueChainDto> Chains { get; private set; } = new([], null);
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(string? cursor)
    {
        Chains = await Listing<ValueChainDto>.LoadAsync(grains.GetGrain<IRegistryGrain>(IRegistryGrain.ValueChains).ListAsync, cursor,
            async id => (await grains.GetGrain<IValueChainGrain>(id).GetAsync())?.ToDto());
        var members = Chains.Items.SelectMany(c => c.Members.Select(m => m.CooperativeId)).Distinct().ToList();
        var profiles = await Task.WhenAll(members.Select(id => grains.GetGrain<ICooperativeGrain>(id).GetAsync()));
        Names = profiles.OfType<CooperativeProfile>().ToDictionary(p => p.Id, p => p.Name);
    }
}
