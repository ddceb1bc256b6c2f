using System.Diagnostics;

namespace CoopMarket.Matching.Benchmarks;

/// <summary>The load benchmark's post-and-place mix (`bench/LoadGen`) replayed on a book alone, timed per 30,000
/// commands: whether a command costs more late in a long run than early, without the platform around the book.</summary>
/// <remarks>One pickup shelf, 100 seed lots of 10,000 kg, then 20 % posts of 4 kg lots at 50 asks and 80 % requests of
/// 1 kg that every lot can serve, as LoadGen sends them: by 300,000 commands the best ask holds about 1,200 small lots,
/// and the requests take them oldest first.
/// <code>dotnet run -c Release --project bench/Matching.Benchmarks -- replay</code></remarks>
internal static class CrowdedLevelReplay
{
    private const int Commands = 300_000;
    private const int Window = 30_000;

    public static void Run()
    {
        var today = new DateOnly(2026, 11, 30);
        var book = new Book("dragon-fruit", shelfLifeDays: 18) { Today = today };
        var pickup = new Place("Đông Lai", 20.673, 105.327);
        var deliverTo = new Place("Hà Nội", 21.0285, 105.8542);
        SupplyLot Lot(long n, long kg) => new($"lot-{n}", $"coop-{Math.Abs(n) % 20}", "dragon-fruit", kg * 1000, Grade.A, [],
            new DateWindow(today, today.AddDays(5)), 20_000 + Math.Abs(n) % 50 * 100, 0, pickup, new HashSet<string>());

        for (var i = 0; i < 100; i++)
        {
            book.PostLot(Lot(-1 - i, 10_000));
        }

        var clock = Stopwatch.StartNew();
        for (long n = 0; n < Commands; n++)
        {
            if (n % 100 < 20)
            {
                book.PostLot(Lot(n, 4));
            }
            else
            {
                book.PlaceRequest(new PurchaseRequest($"request-{n}", "buyer", "dragon-fruit", 1000, Grade.C, CertificationScheme.None, 0,
                    new DateWindow(today.AddDays(3), today.AddDays(17)), 40_000, deliverTo));
            }

            if ((n + 1) % Window == 0)
            {
                Console.WriteLine($"commands {n + 1 - Window + 1:N0}-{n + 1:N0}: {clock.Elapsed.TotalMilliseconds:N0} ms");
                clock.Restart();
            }
        }
    }
}
