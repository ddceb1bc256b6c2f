using CoopMarket.Grains.Participants;

namespace CoopMarket.Gateway.Web;

/// <summary>The names of the cooperatives and buyers one page shows, each read once per request however many of the
/// page's deals name it.</summary>
internal sealed class ParticipantNames(IGrainFactory grains)
{
    private readonly Dictionary<string, Task<string?>> known = new(StringComparer.Ordinal);

    public Task<string?> CooperativeAsync(string id) =>
        Once($"cooperative/{id}", async () => (await grains.GetGrain<ICooperativeGrain>(id).GetAsync())?.Name);

    public Task<string?> BuyerAsync(string id) =>
        Once($"buyer/{id}", async () => (await grains.GetGrain<IBuyerGrain>(id).GetAsync())?.Name);

    /// <summary>A page loads its deals side by side, so two of them may ask for one name at the same moment.</summary>
    private Task<string?> Once(string key, Func<Task<string?>> load)
    {
        lock (known)
        {
            if (!known.TryGetValue(key, out var name))
            {
                known[key] = name = load();
            }

            return name;
        }
    }
}
