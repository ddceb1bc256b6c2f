namespace CoopMarket.Grains.Market;

/// <summary>Sends a record's activation that no reader has used out of memory once its writers are done with it: a
/// season makes hundreds of thousands of deals and requests that only the market's projection wakes, and kept for
/// their two idle minutes each they held most of a busy silo's memory (issue 9).</summary>
/// <remarks>It leaves after a quiet moment (<see cref="Quiet"/>) with no call, not at the end of the write: calls that
/// queued behind a slow write (the drains that carried the same entries again past the projection's patience, then
/// readers and claims) are forwarded to a new activation when this one leaves, the next write there sent them on again,
/// and Orleans forwards a call twice at most, then refuses it ("Forwarding failed"): a read or a claim failed because
/// storage had been slow. Waiting lets what queued be answered here, and a call forwarded as this activation leaves
/// meets one that stays at least the same moment.</remarks>
internal sealed class UnreadActivation
{
    /// <summary>Long beside a forwarded call's hop, short beside the collection age: under load a record is held about
    /// this long past its last write instead of two minutes.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private IGrainTimer? leaving;
    private bool read;
    private long calls;
    private long callsSeen;

    /// <summary>A reader used the activation, and is answered <paramref name="answer"/>: it stays for the record's
    /// collection age, as any record read.</summary>
    public Task<T> Read<T>(T answer) => Read(Task.FromResult(answer));

    /// <inheritdoc cref="Read{T}(T)"/>
    public Task<T> Read<T>(Task<T> answer)
    {
        read = true;
        leaving?.Dispose();
        leaving = null;
        return answer;
    }

    /// <summary>A call that is not a read began: the activation is not quiet.</summary>
    public void Called() => calls++;

    /// <summary>A writer's call stored what it brought to <paramref name="record"/>: unless a reader has used this
    /// activation of it, it leaves once quiet.</summary>
    public void Written(IGrainBase record)
    {
        if (read || leaving is not null)
        {
            return;
        }

        callsSeen = calls;
        leaving = record.RegisterGrainTimer(static (leaver, _) => leaver.Self.LeaveIfQuietAsync(leaver.Record), (Self: this, Record: record),
            new GrainTimerCreationOptions(Quiet, Quiet) { Interleave = false });
    }

    private Task LeaveIfQuietAsync(IGrainBase record)
    {
        if (calls == callsSeen)
        {
            record.DeactivateOnIdle();
        }

        callsSeen = calls;
        return Task.CompletedTask;
    }
}
