using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>The files under <c>deploy/</c>, read as data: no container engine runs where the tests do, so the tests
/// hold these files against the code instead.</summary>
internal static class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static IEnumerable<string> YamlFiles() => Directory.EnumerateFiles(Deploy, "*.*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal));

    /// <summary>Every document of a YAML file, with compose's <c>&lt;&lt;: *anchor</c> merge keys resolved.</summary>
    public static List<YamlMappingNode> Documents(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    /// <summary>The Kubernetes objects of the base, by kind.</summary>
    public static List<YamlMappingNode> Kubernetes(string kind) =>
        [.. Directory.EnumerateFiles(Path.Combine(Deploy, "k8s", "base"), "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(Documents).Where(d => d.Text("kind") == kind)];

    public static YamlMappingNode Named(this List<YamlMappingNode> objects, string name) =>
        Assert.Single(objects, o => o.Map("metadata").Text("name") == name);

    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    public static YamlSequenceNode Seq(this YamlMappingNode node, string key) => (YamlSequenceNode)node[key];

    public static string? Text(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode sequence) => sequence.Children.OfType<YamlMappingNode>();

    public static IEnumerable<string> Keys(this YamlMappingNode node) => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!);

    /// <summary>The containers of a Deployment or StatefulSet.</summary>
    public static IEnumerable<YamlMappingNode> Containers(this YamlMappingNode workload) =>
        workload.Map("spec").Map("template").Map("spec").Seq("containers").Maps();

    /// <summary><c>KEY=value</c> lines of an env file, comments skipped.</summary>
    public static IEnumerable<string> EnvFileKeys(string path) => File.ReadLines(path)
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CoopMarket.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CoopMarket.sln not found above the test binaries.");
    }
}
