namespace CoopMarket.Gateway.Apis;

/// <summary>The <c>Bench</c> section. <c>Bench:FloorEndpoint</c> maps the load benchmark's floor (<see cref="BenchApi"/>);
/// a value that is not true or false stops the gateway at start, naming the setting.</summary>
internal sealed class BenchOptions
{
    public const string SectionName = "Bench";

    public bool FloorEndpoint { get; init; }

    public static void AddTo(IServiceCollection services) =>
        services.AddOptions<BenchOptions>().BindConfiguration(SectionName).ValidateOnStart();
}
