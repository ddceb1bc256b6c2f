using Microsoft.AspNetCore.Http.HttpResults;
using CoopMarket.Gateway.Validation;

namespace CoopMarket.Gateway.Apis;

/// <summary>What the API says of an id that names nothing the caller may see, one sentence per kind of record. Each is
/// also the key of its translation in the web app's resources, so it is written here once: a copy that drifted by a
/// letter would keep its English on every Vietnamese page that shows it.</summary>
internal static class Missing
{
    public const string Cooperative = "No cooperative has the id '{0}'.";
    public const string Buyer = "No buyer has the id '{0}'.";
    public const string Participant = "No participant has the id '{0}'.";
    public const string Lot = "No lot has the id '{0}'.";
    public const string Request = "No request has the id '{0}'.";
    public const string Deal = "No deal has the id '{0}'.";
    public const string ValueChain = "No value chain has the id '{0}'.";

    /// <summary>The 404 of a read that answers without a command's <see cref="Reply{T}"/>, in the same English.</summary>
    public static ProblemHttpResult Problem(string sentence, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: new FieldMessage(sentence, [id]).ToString());
}
