using Orleans.Concurrency;

namespace CoopMarket.Grains.Notifications;

/// <summary>A live reader of an inbox (a gateway's event stream), told when notices arrive.</summary>
/// <remarks>A wake-up, not the notices themselves: the reader reads them from the inbox after the last one it sent,
/// so a lost or late call delays a notice but can never drop, reorder or duplicate one.</remarks>
public interface IInboxObserver : IGrainObserver
{
    [OneWay]
    Task DeliveredAsync(long count);
}
