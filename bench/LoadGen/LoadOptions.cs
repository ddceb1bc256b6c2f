using System.Globalization;

namespace CoopMarket.LoadGen;

/// <summary>The command line: <c>--name value</c> pairs and a few switches, checked before any request is sent.</summary>
internal sealed record LoadOptions
{
    public required Uri Gateway { get; init; }
    public string? AdminKey { get; init; }
    public string Product { get; init; } = "dragon-fruit";
    public int Concurrency { get; init; } = 32;

    /// <summary>Commands to send after set-up; the run also stops at <see cref="Duration"/>, whichever comes first.</summary>
    public long Count { get; init; } = long.MaxValue;
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);
    public bool RequestsOnly { get; init; }
    public bool Floor { get; init; }
    public int Cooperatives { get; init; } = 20;
    public int Buyers { get; init; } = 200;

    /// <summary>Open lots posted before the timed run, each large enough that every request of the run fills.</summary>
    public int SeedLots { get; init; } = 100;
    public decimal SeedLotKg { get; init; } = 10_000;

    /// <summary>Share of post-lot in the mix; the rest are place-request.</summary>
    public int LotPercent { get; init; } = 20;
    public decimal RequestKg { get; init; } = 1;

    /// <summary>In the mix, lots of 4 kg against requests of 1 kg at 20 % / 80 % add as many kilograms as the requests take, so
    /// open supply stays near its start. The number of open lots still grows (requests take the cheapest lots first, and
    /// small lots at higher asks rest), as it does in a real season.</summary>
    public decimal MixLotKg { get; init; } = 4;

    /// <summary>The server's processes on this machine, whose CPU time each window reports per command; none: no column.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    public string Label => Floor ? "floor" : RequestsOnly ? "place-request" : $"mix {LotPercent}% post-lot / {100 - LotPercent}% place-request";

    public const string Usage = """
        usage: LoadGen --url http://127.0.0.1:PORT [--admin-key KEY] [--floor | --requests-only]
                       [--count N] [--duration SECONDS] [--concurrency N] [--product CODE]
                       [--cooperatives N] [--buyers N] [--seed-lots N] [--seed-lot-kg KG]
                       [--lot-percent P] [--request-kg KG] [--mix-lot-kg KG] [--server-pids PID,PID...]
          The admin key may also come from COOPMARKET_ADMIN_KEY. Without --count the run lasts --duration (default 600 s);
          with it, the run stops at whichever comes first. --server-pids names the server's processes on this machine, so
          each window reports their CPU time per command.
        """;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            if (args[i] is "--floor" or "--requests-only")
            {
                switches.Add(args[i]);
            }
            else if (i + 1 < args.Length)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"{args[i]} needs a value.");
            }
        }

        var known = new[]
        {
            "--url", "--admin-key", "--product", "--concurrency", "--count", "--duration", "--cooperatives", "--buyers",
            "--seed-lots", "--seed-lot-kg", "--lot-percent", "--request-kg", "--mix-lot-kg", "--server-pids",
        };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option {unknown}.");
        }

        var options = new LoadOptions
        {
            Gateway = values.TryGetValue("--url", out var url) ? new Uri(url) : throw new ArgumentException("--url is required."),
            AdminKey = values.GetValueOrDefault("--admin-key") ?? Environment.GetEnvironmentVariable("COOPMARKET_ADMIN_KEY"),
            Product = values.GetValueOrDefault("--product") ?? "dragon-fruit",
            Concurrency = Int(values, "--concurrency", 32),
            Count = values.ContainsKey("--count") ? Int(values, "--count", 0) : long.MaxValue,
            Duration = TimeSpan.FromSeconds(Int(values, "--duration", 600)),
            RequestsOnly = switches.Contains("--requests-only"),
            Floor = switches.Contains("--floor"),
            Cooperatives = Int(values, "--cooperatives", 20),
            Buyers = Int(values, "--buyers", 200),
            SeedLots = Int(values, "--seed-lots", 100),
            SeedLotKg = Kg(values, "--seed-lot-kg", 10_000),
            LotPercent = Int(values, "--lot-percent", 20),
            RequestKg = Kg(values, "--request-kg", 1),
            MixLotKg = Kg(values, "--mix-lot-kg", 4),
            ServerPids = values.TryGetValue("--server-pids", out var pids) ? Pids(pids) : [],
        };
        if (options.Floor && options.RequestsOnly)
        {
            throw new ArgumentException("--floor and --requests-only exclude each other.");
        }

        if (!options.Floor && string.IsNullOrEmpty(options.AdminKey))
        {
            throw new ArgumentException("The market run registers cooperatives and buyers: give --admin-key or COOPMARKET_ADMIN_KEY.");
        }

        if (options.Concurrency < 1 || options.Count < 1 || options.Duration <= TimeSpan.Zero || options.Cooperatives < 1
            || options.Buyers < 1 || options.LotPercent is < 0 or > 100)
        {
            throw new ArgumentException("Counts, concurrency and duration must be positive; --lot-percent from 0 to 100.");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} takes a whole number, not '{text}'.");

    private static int[] Pids(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pid =>
            int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
            : throw new ArgumentException($"--server-pids takes process ids separated by commas, not '{text}'."))];

    private static decimal Kg(Dictionary<string, string> values, string name, decimal fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"{name} takes a positive number of kilograms, not '{text}'.");
}
