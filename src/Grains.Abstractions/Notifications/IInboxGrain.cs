namespace CoopMarket.Grains.Notifications;

/// <summary>The durable inbox of one participant, keyed <c>cooperative/{id}</c> or <c>buyer/{id}</c>.</summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Appends notices in order; a notice whose id the inbox holds already is skipped, so the market's
    /// projection may carry an entry again after a failure or a restart.</summary>
    Task DeliverAsync(IReadOnlyList<Notice> notices);
}
