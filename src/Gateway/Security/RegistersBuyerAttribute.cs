namespace CoopMarket.Gateway.Security;

/// <summary>Marks every way in to buyer self-registration — the API's endpoint and the web app's page — so
/// <see cref="RegistrationLimits"/> counts them against one per-address allowance, whichever a client uses.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class RegistersBuyerAttribute : Attribute;
