using System.Globalization;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Notifications;
using CoopMarket.Grains.Paging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoopMarket.Gateway.Pages.Inbox;

/// <summary>The signed-in cooperative's or buyer's inbox, newest first, a page at a time; <c>inbox.js</c> keeps the
/// first page live from the participant's event stream (<see cref="ParticipantInbox"/>).</summary>
internal sealed class IndexModel(IGrainFactory grains) : PageModel
{
    /// <summary>At most this many notices are added by one live update; a longer absence is a reload.</summary>
    private const int NewerAtMost = 50;

    public IReadOnlyList<InboxItem> Notices { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public bool FirstPage { get; private set; }

    /// <summary>The newest notice on the page: marking read goes no further, so a notice nobody saw stays unread.</summary>
    public long Newest { get; private set; }

    private IInboxGrain Inbox => grains.GetGrain<IInboxGrain>(ParticipantInbox.KeyOf(Caller.From(User))!);

    public async Task OnGetAsync(string? cursor)
    {
        var request = Listing.Request(cursor);
        var page = await Inbox.GetPageAsync(request);
        Notices = page.Items;
        NextCursor = page.Next?.ToString(CultureInfo.InvariantCulture);
        FirstPage = request.Before is null;
        Newest = FirstPage && Notices.Count > 0 ? Notices[0].Sequence : 0;
    }

    /// <summary>The notices after <paramref name="after"/>, newest first, as list items for the script to put on top.</summary>
    public async Task<IActionResult> OnGetNewerAsync(long after)
    {
        var items = await Inbox.ReadAfterAsync(Math.Max(after, 0), NewerAtMost);
        return Partial("_Notices", (IReadOnlyList<InboxItem>)[.. items.Reverse()]);
    }

    public async Task<IActionResult> OnPostAsync(long upTo)
    {
        if (upTo > 0)
        {
            await Inbox.MarkReadAsync(upTo);
        }

        return RedirectToPage();
    }
}
