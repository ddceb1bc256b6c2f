using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Matching.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
