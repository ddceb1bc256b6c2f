using CoopMarket.Grains.Paging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoopMarket.Grains.Participants;

/// <remarks>A participant adds itself once it is stored and marks itself listed after; only a reply lost between the
/// two makes it add itself again, on its next registration call. The registry recognises such a retry among its
/// newest <see cref="RecentKept"/> ids instead of keeping a set of every id, which would grow with every write.</remarks>
internal sealed class RegistryGrain(
    [PersistentState("registry")] IPersistentState<RegistryState> state,
    [FromKeyedServices("Default")] IGrainStorage storage) : Grain, IRegistryGrain
{
    public const int RecentKept = 1_000;
    private const string IdsIndex = "ids";

    private IdPageStore Pages => new(storage, $"registry/{this.GetPrimaryKeyString()}");

    async Task IRegistryGrain.AddAsync(string id)
    {
        if (state.State.Recent.Contains(id))
        {
            return;
        }

        var ids = await Pages.AppendAsync(IdsIndex, state.State.Ids, [id]);
        await state.WriteAsync(new RegistryState { Ids = ids, Recent = [.. state.State.Recent.TakeLast(RecentKept - 1), id] }, this);
    }

    Task<IdPage> IRegistryGrain.ListAsync(PageRequest page) => Pages.ReadAsync(IdsIndex, state.State.Ids, page);
}
