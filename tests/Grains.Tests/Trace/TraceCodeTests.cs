using CoopMarket.Grains.Market;

namespace CoopMarket.Grains.Tests.Trace;

public sealed class TraceCodeTests
{
    [Fact]
    public void A_new_code_is_16_characters_of_Crockford_base_32_and_never_repeats()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => TraceCode.New()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{16}$", c));
        Assert.All(codes, c => Assert.True(TraceCode.IsWellFormed(c)));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        // Every one of the 32 characters turns up in every position: all 5 bits of each are random.
        for (var position = 0; position < TraceCode.Length; position++)
        {
            Assert.Equal(32, codes.Select(c => c[position]).Distinct().Count());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789ABCDE")]
    [InlineData("0123456789ABCDEFG")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789ABCDEI")]
    [InlineData("0123456789ABCDEL")]
    [InlineData("0123456789ABCDEO")]
    [InlineData("0123456789ABCDEU")]
    [InlineData("0123456789ABCDE-")]
    [InlineData("0123456789ABCDÉF")]
    public void Anything_else_is_malformed(string? code) => Assert.False(TraceCode.IsWellFormed(code));

    [Fact]
    public void Codes_of_the_whole_alphabet_are_well_formed()
    {
        Assert.True(TraceCode.IsWellFormed("0123456789ABCDEF"));
        Assert.True(TraceCode.IsWellFormed("GHJKMNPQRSTVWXYZ"));
    }
}
