using System.Text.Json;
using System.Text.Json.Nodes;
using CoopMarket.Gateway.Contracts;
using CoopMarket.Gateway.Demo;
using CoopMarket.Grains;
using CoopMarket.Grains.Paging;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CoopMarket.Gateway.Apis;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: what the endpoints' metadata says, plus what the framework
/// cannot see — the bearer key, the idempotency header, the paging parameters a custom binder reads, and examples.</summary>
internal static class ApiDocument
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddCoopMarketApiDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer(DescribeAsync);
        o.AddOperationTransformer(DescribeOperationAsync);
        o.AddSchemaTransformer(NumbersAsNumbers);
    });

    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Products"] = "The district's product catalog: codes, names, shelf lives. Public.",
        ["Cooperatives"] = "Cooperatives (HTX) and groups (THT), registered by the district office, and the lots they post.",
        ["Buyers"] = "Buyers, self-registered or registered by the district office, and the requests they place.",
        ["Lots"] = "Supply lots: what is left of them, their deals, withdrawing the rest.",
        ["Requests"] = "Purchase requests: what is filled, their deals, cancelling the rest.",
        ["Deals"] = "Deals the market made, each with the reason it was made.",
        ["Markets"] = "One product's open supply and demand by band, and recent prices. Public; names no participant.",
        ["Value chains"] = "Value chains: the products they trade, their members and their allocation policy.",
        ["Trace"] = "Traceability of shipped goods by the code on their label: origin, harvest, certificates, kilograms. Public; names no buyer and no price.",
        ["Notifications"] = "A participant's inbox of what happened to its deals, the same events live (Server-Sent Events) and "
            + "as signed webhooks. Only the participant itself and the administrator see them.",
    };

    /// <summary>The API writes numbers as JSON numbers; that the reader also takes "12.5" in quotes is leniency, not
    /// contract, and a number-or-string union would make every generated client wrap each quantity.</summary>
    private static Task NumbersAsNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "CoopMarket API";
        document.Info.Description = "Market linkage between the farm cooperatives (HTX/THT) of Tân Lạc district and their buyers. "
            + "Every failure answers application/problem+json (RFC 9457).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The API key a registration or key rotation answered, as `Authorization: Bearer <key>`.",
        };

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            tag.Description = tag.Name is { } name && Tags.TryGetValue(name, out var description) ? description : tag.Description;
        }

        // The framework writes the request's base address, which ends in '/': every path already starts with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        // An empty requirement says "no key needed", so a public operation is public on purpose, not by omission.
        operation.Security = secured
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
            : [new OpenApiSecurityRequirement()];

        operation.Parameters ??= [];
        if (metadata.OfType<ApiContract.IdempotencyKeyMetadata>().Any())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.Header,
                In = ParameterLocation.Header,
                Description = "Makes a retry safe: the same key with the same body answers the first outcome again; with another body, 422. "
                    + "Scoped to the caller.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Idempotency.MaxKeyLength, Pattern = "^[ -~]+$" },
            });
        }

        if (metadata.OfType<ApiContract.PagedMetadata>().Any())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "limit",
                In = ParameterLocation.Query,
                Description = "How many items a page holds.",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Default = JsonValue.Create(PageRequest.DefaultLimit),
                },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "cursor",
                In = ParameterLocation.Query,
                Description = "The nextCursor of the previous page; absent for the first (newest) page.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[1-9][0-9]*$" },
            });
        }

        if (context.Description.SupportedResponseTypes.Any(r => CarriesDeals(r.Type, 0)))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Accept-Language",
                In = ParameterLocation.Header,
                Description = "The language of each deal's reason.text: Vietnamese (vi, the default) or English (en); other languages fall back to Vietnamese.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Default = JsonValue.Create("vi"), Examples = [JsonValue.Create("en")] },
            });
        }

        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && ExampleFor(operation.OperationId, context) is { } example)
        {
            body.Example = example;
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether an answer of <paramref name="type"/> holds deals, whose reason is said in the negotiated language:
    /// a deal, a page of them, or a command's answer listing them.</summary>
    private static bool CarriesDeals(Type? type, int depth) => type is not null && depth < 3 && (type == typeof(DealDto)
        || type.GetGenericArguments().Any(a => CarriesDeals(a, depth + 1))
        || (type.Namespace == typeof(DealDto).Namespace && type.GetProperties().Any(p => CarriesDeals(p.PropertyType, depth + 1))));

    private static JsonNode? ExampleFor(string? operationId, OpenApiOperationTransformerContext context)
    {
        var today = context.ApplicationServices.GetRequiredKeyedService<TimeProvider>(MarketTime.ServiceKey).Today();
        object? example = operationId switch
        {
            "RegisterCooperative" => DistrictExamples.DongLai(today),
            "RegisterBuyer" => DistrictExamples.Supermarket,
            "CreateValueChain" => DistrictExamples.DragonFruitChain,
            "AddValueChainMember" => DistrictExamples.Producer("coop-3f1c9a0b2d4e6f7a8b9c"),
            "PostLot" => DistrictExamples.DragonFruitLot(today),
            "PlaceRequest" => DistrictExamples.DragonFruitRequest(today, null),
            "SetAutoConfirm" => new SetAutoConfirm(["buyer-5d4c3b2a1f0e9d8c7b6a"], ["chain-9e8d7c6b5a4f3e2d1c0b"]),
            _ => null,
        };
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return example is null ? null : JsonSerializer.SerializeToNode(example, example.GetType(), json);
    }
}
