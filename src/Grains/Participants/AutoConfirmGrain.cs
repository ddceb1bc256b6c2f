using CoopMarket.Grains.Catalog;
using CoopMarket.Grains.Market;
using Microsoft.Extensions.Logging;

namespace CoopMarket.Grains.Participants;

/// <summary>Owns a cooperative's auto-confirm rules and carries each change to the markets, which decide with them.</summary>
/// <remarks>A grain of its own rather than the cooperative's: it calls the markets while it carries a change, and a
/// market's projection calls the cooperative, so the cooperative waiting on a market could wait on itself.</remarks>
internal sealed partial class AutoConfirmGrain(
    [PersistentState("autoconfirm")] IPersistentState<AutoConfirmState> state,
    ILogger<AutoConfirmGrain> logger) : Grain, IAutoConfirmGrain, IRemindable
{
    private const string SendReminder = "auto-confirm-send";

    // How soon a market that could not be reached is tried again; Orleans' shortest reminder period.
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    // What GetAsync answers: the rules as stored, never a change still being written, since GetAsync interleaves.
    private AutoConfirmRules stored = AutoConfirmRules.None;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        stored = state.State.Rules;
        return Task.CompletedTask;
    }

    Task<AutoConfirmRules> IAutoConfirmGrain.GetAsync() => Task.FromResult(stored);

    async Task<AutoConfirmRules> IAutoConfirmGrain.SetAsync(IReadOnlyList<string> buyerIds, IReadOnlyList<string> valueChainIds)
    {
        var current = state.State.Rules;
        if (!current.BuyerIds.SequenceEqual(buyerIds, StringComparer.Ordinal) || !current.ValueChainIds.SequenceEqual(valueChainIds, StringComparer.Ordinal))
        {
            var products = await MarketsAsync();
            // The reminder before the change is stored: a silo lost between the two leaves a reminder with nothing to
            // send, never a change that no market will hear of.
            await this.RegisterOrUpdateReminder(SendReminder, RetryPeriod, RetryPeriod);
            await state.WriteAsync(new AutoConfirmState { Rules = new(buyerIds, valueChainIds, current.Version + 1), Unsent = products }, this);
            stored = state.State.Rules;
        }

        await SendAsync();
        return state.State.Rules;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await SendAsync();

    /// <summary>Every market the cooperative may sell in: the catalog's, and any it has sold in since left the catalog.</summary>
    private async Task<IReadOnlyList<string>> MarketsAsync()
    {
        var catalog = await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync();
        var sold = await GrainFactory.GetGrain<ICooperativeGrain>(this.GetPrimaryKeyString()).GetProductsAsync();
        return [.. catalog.Select(p => p.Code).Concat(sold).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Gives the rules to every market that lacks them, side by side; those that fail wait for the reminder.</summary>
    private async Task SendAsync()
    {
        var rules = state.State.Rules;
        var cooperative = this.GetPrimaryKeyString();
        var unsent = state.State.Unsent;
        var sent = await Task.WhenAll(unsent.Select(async product =>
        {
            try
            {
                await GrainFactory.GetGrain<IMarketGrain>(product).SetAutoConfirmAsync(cooperative, rules);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSendFailed(logger, e, cooperative, product);
                return false;
            }
        }));
        List<string> left = [.. unsent.Where((_, i) => !sent[i])];
        if (left.Count < unsent.Count)
        {
            await state.WriteAsync(state.State with { Unsent = left }, this);
        }

        if (left.Count == 0 && await this.GetReminder(SendReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-confirm rules of cooperative {Cooperative} did not reach market {Product}; a reminder tries again")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string cooperative, string product);
}
