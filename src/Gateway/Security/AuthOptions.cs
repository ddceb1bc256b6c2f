using CoopMarket.Hosting;
using Microsoft.Extensions.Options;

namespace CoopMarket.Gateway.Security;

/// <summary>The <c>Auth</c> section: the administrator's key, the secret participant keys are derived with, and how much
/// an unverified buyer may have open.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>An HMAC key: shorter than this is guessable offline from one issued participant key.</summary>
    public const int MinKeySecretLength = 32;

    /// <summary>Anyone holding it administers the district: shorter than this falls to guessing.</summary>
    public const int MinAdminKeyLength = 16;

    public string? AdminKey { get; init; }
    public string? KeySecret { get; init; }

    /// <summary>The kilograms an unverified buyer, together with the others registered from its address, may have
    /// requested and not yet delivered at once.</summary>
    public decimal UnverifiedBuyerOpenKg { get; init; } = 1_000m;

    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, Validation>();
    }

    /// <summary>Only Redis mode needs both keys: several gateways must derive the same key for a retried registration,
    /// and a cluster without an administrator cannot verify a buyer. One embedded process can do without either. Every
    /// mode needs an allowance an unverified buyer can use: with none, every such buyer's request would be refused.</summary>
    private sealed class Validation(IConfiguration configuration) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            var failures = new List<string>();
            if (options.UnverifiedBuyerOpenKg is <= 0 or > 1_000_000 || decimal.Round(options.UnverifiedBuyerOpenKg, 3) != options.UnverifiedBuyerOpenKg)
            {
                failures.Add("Auth:UnverifiedBuyerOpenKg (Auth__UnverifiedBuyerOpenKg) must be more than 0 and at most 1,000,000 kilograms, to the gram.");
            }

            if (OrleansSettings.From(configuration).Mode != OrleansMode.Redis)
            {
                return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
            }
            if (options.KeySecret is not { Length: >= MinKeySecretLength })
            {
                failures.Add($"Auth:KeySecret (Auth__KeySecret) must be set to the same secret of at least {MinKeySecretLength} characters on " +
                    "every gateway in Redis mode: otherwise a registration retried through another gateway answers a key that never authenticates.");
            }

            if (options.AdminKey is not { Length: >= MinAdminKeyLength })
            {
                failures.Add($"Auth:AdminKey (Auth__AdminKey) must be set to a key of at least {MinAdminKeyLength} characters in Redis mode: " +
                    "without it nobody can verify buyers or open the dashboard.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
