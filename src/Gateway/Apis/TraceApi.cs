using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Web;
using CoopMarket.Grains.Market;
using CoopMarket.Grains.Trace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using QRCoder;

namespace CoopMarket.Gateway.Apis;

/// <summary>Traceability: public, keyed by the code printed on shipped goods, which is the only secret — 80 random
/// bits (see <see cref="TraceCode"/>), so holding one is what entitles a reader to its shipment's origin.</summary>
internal static class TraceApi
{
    /// <summary>The public page a printed code opens; the web app renders it.</summary>
    public const string PagePath = "/trace";

    // 8 pixels a module prints sharp on a 300-dpi label and stays a few kilobytes.
    private const int PixelsPerModule = 8;

    public static IEndpointRouteBuilder MapTraceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/trace").WithTags("Trace").AllowAnonymous();
        api.MapGet("/{code}", GetAsync).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithName("GetTrace").WithSummary("Where the goods shipped under a traceability code came from; names no buyer and no price.");
        api.MapGet("/{code}/qr.png", GetQrAsync).Produces<byte[]>(StatusCodes.Status200OK, "image/png")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithName("GetTraceQr").WithSummary("The code as a QR image (PNG) that opens the public trace page.");
        return app;
    }

    private static async Task<Results<Ok<TraceDto>, ProblemHttpResult>> GetAsync(string code, IGrainFactory grains)
    {
        code = TraceCode.Normalize(code);
        if (Refusal(code) is { } refused)
        {
            return refused;
        }

        return await FindAsync(grains, code) is { } shipment ? TypedResults.Ok(shipment) : Unknown(code);
    }

    /// <summary>What the API answers for a code in either case, for the web app's trace page too; null when it is
    /// malformed or no shipment has it.</summary>
    public static async Task<TraceDto?> FindAsync(IGrainFactory grains, string code)
    {
        // A malformed code never reaches a grain: it cannot name a shipment, and the grain key space stays the codes'.
        code = TraceCode.Normalize(code);
        return TraceCode.IsWellFormed(code) && await grains.GetGrain<ITraceGrain>(code).GetAsync() is { } shipment ? ToDto(shipment) : null;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetQrAsync(string code, IOptions<PublicSiteOptions> site, IGrainFactory grains)
    {
        code = TraceCode.Normalize(code);
        if (Refusal(code) is { } refused)
        {
            return refused;
        }

        if (await grains.GetGrain<ITraceGrain>(code).GetAsync() is null)
        {
            return Unknown(code);
        }

        // The configured public address, never the request's Host: a label printed from a request with a forged Host
        // would otherwise send every shopper who scans it elsewhere.
        var page = site.Value.AddressOf($"{PagePath}/{code}");
        using var data = QRCodeGenerator.GenerateQrCode(page, QRCodeGenerator.ECCLevel.M);
        return TypedResults.File(new PngByteQRCode(data).GetGraphic(PixelsPerModule), "image/png");
    }

    private static ProblemHttpResult? Refusal(string code) => TraceCode.IsWellFormed(code)
        ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed trace code",
            detail: $"A trace code is {TraceCode.Length} characters of Crockford base 32 (0-9 and A-Z without I, L, O, U), in either case.");

    private static ProblemHttpResult Unknown(string code) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Unknown trace code", detail: $"No shipment carries the code '{code}'.");

    private static TraceDto ToDto(TracedShipment s) => new(s.Code, new TracedProductDto(s.Product, s.ProductNameVi, s.ProductNameEn),
        new TracedCooperativeDto(s.CooperativeId, s.CooperativeName), s.Commune, s.District, s.Province,
        new HarvestWindowDto(s.HarvestFrom, s.HarvestTo), [.. s.Certifications.Select(Dtos.ToDto)],
        Dtos.Kg(s.ShippedGrams), s.ShippedAt, s.DeliveredGrams is { } delivered ? Dtos.Kg(delivered) : null, s.DeliveredAt);
}
