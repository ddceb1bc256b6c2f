namespace CoopMarket.Gateway.Demo;

/// <summary>The <c>Demo</c> section. <c>Demo:Seed</c> defaults to on only in the Development environment: the demo's
/// invented buyers rest real requests in the book, which would absorb real cooperatives' lots in production.</summary>
internal sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Seed { get; set; }

    public static void AddTo(IServiceCollection services) => services.AddOptions<DemoOptions>()
        .Configure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            options.Seed = configuration.GetValue<bool?>($"{SectionName}:{nameof(Seed)}") ?? environment.IsDevelopment())
        .ValidateOnStart();
}
