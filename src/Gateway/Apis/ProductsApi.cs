using CoopMarket.Grains.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopMarket.Gateway.Apis;

internal static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListAsync).WithName("ListProducts").WithSummary("Every product of the catalog.");
        api.MapGet("/{code}", GetAsync).ProducesProblems(StatusCodes.Status404NotFound).WithName("GetProduct").WithSummary("One product by its code.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<Product>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Key).ListAsync());

    private static async Task<Results<Ok<Product>, ProblemHttpResult>> GetAsync(string code, IGrainFactory grains) =>
        await grains.GetGrain<IProductGrain>(code).GetAsync() is { } product
            ? TypedResults.Ok(product)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown product",
                detail: $"No product has the code '{code}'.");
}
