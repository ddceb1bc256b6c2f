using BenchmarkDotNet.Running;
using CoopMarket.Matching.Benchmarks;

// dotnet run -c Release --project bench/Matching.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Matching.Benchmarks -- replay
if (args is ["replay"])
{
    CrowdedLevelReplay.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
