using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CoopMarket.Gateway.Demo;
using CoopMarket.Gateway.Security;
using CoopMarket.Gateway.Telemetry;
using CoopMarket.Gateway.Web;
using CoopMarket.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace CoopMarket.Gateway.Tests.Deployment;

/// <summary>The compose file, the Kubernetes manifests and the Dockerfiles agree with the code they deploy.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class DeployFilesTests(GatewayFactory factory)
{
    private const int GatewayHttpPort = 8080;

    private static readonly string[] Dockerfiles = ["silo.Dockerfile", "gateway.Dockerfile"];

    [Fact]
    public void Every_YAML_file_parses_and_every_kustomization_names_files_that_exist()
    {
        var files = DeployFiles.YamlFiles().ToList();
        Assert.Contains(files, f => f.EndsWith("compose.yaml", StringComparison.Ordinal));
        Assert.True(files.Count(f => f.Contains($"{Path.DirectorySeparatorChar}k8s{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) >= 7);
        foreach (var file in files)
        {
            Assert.NotEmpty(DeployFiles.Documents(file));
        }

        foreach (var kustomization in files.Where(f => Path.GetFileName(f) == "kustomization.yaml"))
        {
            var folder = Path.GetDirectoryName(kustomization)!;
            foreach (var resource in DeployFiles.Documents(kustomization).Single().Seq("resources").Children.Cast<YamlScalarNode>())
            {
                var path = Path.Combine(folder, resource.Value!);
                Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{kustomization} names {resource.Value}, which does not exist");
            }
        }
    }

    [Fact]
    public void Every_environment_variable_the_deployments_set_is_a_setting_the_hosts_read()
    {
        var read = SettingsTheHostsRead();
        var set = ComposeVariables().Concat(KubernetesVariables()).Concat(Dockerfiles.SelectMany(DockerfileVariables)).ToList();

        Assert.Contains("Orleans__Mode", set);
        Assert.Contains("Auth__KeySecret", set);
        Assert.All(set, variable => Assert.True(read.Contains(variable), $"{variable} is set by a deployment file, but no host reads it"));
    }

    [Fact]
    public void Ports_and_probe_paths_match_the_code()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        var gateway = DeployFiles.Kubernetes("Deployment").Named("gateway").Containers().Single();
        var http = Assert.Single(gateway.Seq("ports").Maps());
        Assert.Equal(GatewayHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), http.Text("containerPort"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var get = gateway.Map(probe).Map("httpGet");
            Assert.Contains(get.Text("path")!, routes);
            Assert.Equal(http.Text("name"), get.Text("port"));
        }

        Assert.Equal("/health/ready", gateway.Map("readinessProbe").Map("httpGet").Text("path"));
        Assert.Equal("/health/live", gateway.Map("livenessProbe").Map("httpGet").Text("path"));

        var dockerfile = File.ReadAllText(Path.Combine(DeployFiles.Deploy, "docker", "gateway.Dockerfile"));
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={GatewayHttpPort}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {GatewayHttpPort}", dockerfile, StringComparison.Ordinal);
        var healthCheck = HealthCheckUrl().Match(dockerfile);
        Assert.True(healthCheck.Success, "the gateway's Dockerfile has no HEALTHCHECK on an HTTP path");
        Assert.Equal(GatewayHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), healthCheck.Groups["port"].Value);
        Assert.Equal("/health/live", healthCheck.Groups["path"].Value);
        Assert.Contains(healthCheck.Groups["path"].Value, routes);

        var proxy = ComposeServices()["proxy"];
        var upstream = File.ReadAllText(Path.Combine(DeployFiles.Deploy, "compose.yaml"));
        foreach (var name in ComposeServices().Keys.Where(s => s.StartsWith("gateway", StringComparison.Ordinal)))
        {
            Assert.Contains($"server {name}:{GatewayHttpPort}", upstream, StringComparison.Ordinal);
        }

        Assert.NotEmpty(proxy.Seq("ports").Children);

        var defaults = new OrleansSettings();
        var silo = DeployFiles.Kubernetes("Deployment").Named("silo").Containers().Single();
        Assert.Equal(
            new[] { defaults.SiloPort, defaults.GatewayPort }.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            silo.Seq("ports").Maps().Select(p => p.Text("containerPort")!));
        Assert.Contains($"EXPOSE {defaults.SiloPort} {defaults.GatewayPort}",
            File.ReadAllText(Path.Combine(DeployFiles.Deploy, "docker", "silo.Dockerfile")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("silo.Dockerfile", "src/Silo/CoopMarket.Silo.csproj")]
    [InlineData("gateway.Dockerfile", "src/Gateway/CoopMarket.Gateway.csproj")]
    public void Each_Dockerfile_publishes_a_project_that_exists_and_copies_every_project_it_references_before_restoring(string dockerfile, string project)
    {
        var text = File.ReadAllText(Path.Combine(DeployFiles.Deploy, "docker", dockerfile));
        var copied = CopiedProject().Matches(text).Select(m => m.Groups["path"].Value).ToList();
        Assert.All(copied, path => Assert.True(File.Exists(Path.Combine(DeployFiles.Root, path)), $"{dockerfile} copies {path}, which does not exist"));
        Assert.Contains($"dotnet restore {project}", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Equal(ProjectClosure(project).Order(StringComparer.Ordinal), copied.Order(StringComparer.Ordinal));
        Assert.Matches(@"(?m)^USER \$APP_UID$", text);
    }

    [Fact]
    public void The_silos_role_covers_what_Kubernetes_hosting_needs()
    {
        var role = DeployFiles.Kubernetes("Role").Single();
        var pods = Assert.Single(role.Seq("rules").Maps(), r => r.Seq("resources").Children.Cast<YamlScalarNode>().Any(v => v.Value == "pods"));
        Assert.Equal("", ((YamlScalarNode)pods.Seq("apiGroups").Children.Single()).Value);
        var verbs = pods.Seq("verbs").Children.Cast<YamlScalarNode>().Select(v => v.Value).ToHashSet();
        // Watching and labelling pods, and deleting the pod of a silo declared dead (DeleteDefunctSiloPods).
        Assert.Superset(new HashSet<string?> { "get", "watch", "list", "patch", "delete" }, verbs);

        var binding = DeployFiles.Kubernetes("RoleBinding").Single();
        Assert.Equal(role.Map("metadata").Text("name"), binding.Map("roleRef").Text("name"));
        var silo = DeployFiles.Kubernetes("Deployment").Named("silo");
        var pod = silo.Map("spec").Map("template");
        var account = pod.Map("spec").Text("serviceAccountName");
        Assert.Contains(binding.Seq("subjects").Maps(), s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account);
        Assert.Equal(account, DeployFiles.Kubernetes("ServiceAccount").Single().Map("metadata").Text("name"));

        var config = DeployFiles.Kubernetes("ConfigMap").Named("coopmarket").Map("data");
        var labels = pod.Map("metadata").Map("labels");
        Assert.Equal(config.Text("Orleans__ServiceId"), labels.Text(Constant(nameof(KubernetesHostingOptions.ServiceIdLabel))));
        Assert.Equal(config.Text("Orleans__ClusterId"), labels.Text(Constant(nameof(KubernetesHostingOptions.ClusterIdLabel))));

        var env = silo.Containers().Single().Seq("env").Maps().ToDictionary(e => e.Text("name")!);
        Assert.Equal("true", env[$"Orleans__{nameof(OrleansSettings.KubernetesHosting)}"].Text("value"));
        Assert.Contains(Constant(nameof(KubernetesHostingOptions.PodNameEnvironmentVariable)), env.Keys);
        Assert.Contains(Constant(nameof(KubernetesHostingOptions.PodNamespaceEnvironmentVariable)), env.Keys);
        // Longer than the generic host's 30 s shutdown timeout, so a silo leaves the cluster before it is killed.
        Assert.True(int.Parse(pod.Map("spec").Text("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture) > 30);
    }

    [Fact]
    public void Every_gateway_gets_both_secrets_from_outside_the_repository()
    {
        var gateway = DeployFiles.Kubernetes("Deployment").Named("gateway").Containers().Single();
        var secretKeys = DeployFiles.EnvFileKeys(Path.Combine(DeployFiles.Deploy, "k8s", "overlays", "local", "secrets.env.example")).ToHashSet();
        foreach (var setting in new[] { "Auth__AdminKey", "Auth__KeySecret" })
        {
            var reference = gateway.Seq("env").Maps().Single(e => e.Text("name") == setting).Map("valueFrom").Map("secretKeyRef");
            Assert.Contains(reference.Text("key")!, secretKeys);
        }

        foreach (var (name, service) in ComposeServices().Where(s => s.Key.StartsWith("gateway", StringComparison.Ordinal)))
        {
            var envFile = Assert.Single(service.Seq("env_file").Children.Cast<YamlScalarNode>()).Value!;
            Assert.True(envFile.EndsWith(".env", StringComparison.Ordinal) && GitIgnored("deploy/*.env"), $"{name}'s secrets file must be kept out of git");
            Assert.Superset(new HashSet<string> { "Auth__AdminKey", "Auth__KeySecret" },
                DeployFiles.EnvFileKeys(Path.Combine(DeployFiles.Deploy, envFile + ".example")).ToHashSet());
        }
    }

    [Fact]
    public void Every_gateway_deployment_sets_the_public_address_its_QR_codes_open()
    {
        var gateway = DeployFiles.Kubernetes("Deployment").Named("gateway").Containers().Single();
        var configMap = Assert.Single(gateway.Seq("envFrom").Maps()).Map("configMapRef").Text("name");
        var addresses = ComposeServices().Where(s => s.Key.StartsWith("gateway", StringComparison.Ordinal))
            .Select(s => s.Value.Map("environment").Text("Web__PublicBaseUrl"))
            .Append(DeployFiles.Kubernetes("ConfigMap").Named(configMap!).Map("data").Text("Web__PublicBaseUrl"))
            .ToList();

        Assert.Equal(3, addresses.Count);
        Assert.All(addresses, address =>
        {
            Assert.NotNull(address);
            Assert.False(new PublicSiteOptions { PublicBaseUrl = address }.IsLoopback, $"{address} is this machine, which no phone reaches");
        });
    }

    /// <summary>Every configuration key a host binds, spelled as an environment variable, and the variables of the
    /// libraries the hosts configure themselves with.</summary>
    private static HashSet<string> SettingsTheHostsRead()
    {
        var read = new HashSet<string>(StringComparer.Ordinal) { "ConnectionStrings__Redis", HostTelemetry.OtlpEndpointVariable, "ASPNETCORE_HTTP_PORTS" };
        Section(OrleansSettings.SectionName, typeof(OrleansSettings), except: nameof(OrleansSettings.RedisConnectionString));
        Section(AuthOptions.SectionName, typeof(AuthOptions));
        Section(DemoOptions.SectionName, typeof(DemoOptions));
        Section(TelemetryOptions.SectionName, typeof(TelemetryOptions));
        Section(PublicSiteOptions.SectionName, typeof(PublicSiteOptions));
        read.UnionWith(typeof(KubernetesHostingOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("EnvironmentVariable", StringComparison.Ordinal)).Select(f => (string)f.GetRawConstantValue()!));
        return read;

        void Section(string section, Type options, string? except = null) =>
            read.UnionWith(options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != except).Select(p => $"{section}__{p.Name}"));
    }

    private static Dictionary<string, YamlMappingNode> ComposeServices() =>
        DeployFiles.Documents(Path.Combine(DeployFiles.Deploy, "compose.yaml")).Single().Map("services").Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);

    private static IEnumerable<string> ComposeVariables() => ComposeServices().Values.SelectMany(service =>
        (service.Has("environment") ? service.Map("environment").Keys() : [])
            .Concat(service.Has("env_file")
                ? service.Seq("env_file").Children.Cast<YamlScalarNode>().SelectMany(f => DeployFiles.EnvFileKeys(Path.Combine(DeployFiles.Deploy, f.Value + ".example")))
                : []));

    private static IEnumerable<string> KubernetesVariables()
    {
        var configMaps = DeployFiles.Kubernetes("ConfigMap").ToDictionary(c => c.Map("metadata").Text("name")!, c => c.Map("data").Keys().ToList());
        return DeployFiles.Kubernetes("Deployment").Concat(DeployFiles.Kubernetes("StatefulSet")).SelectMany(w => w.Containers()).SelectMany(container =>
            (container.Has("env") ? container.Seq("env").Maps().Select(e => e.Text("name")!) : [])
                .Concat(container.Has("envFrom") ? container.Seq("envFrom").Maps().SelectMany(f => configMaps[f.Map("configMapRef").Text("name")!]) : []));
    }

    private static IEnumerable<string> DockerfileVariables(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(DeployFiles.Deploy, "docker", dockerfile)).Replace("\\\n", " ", StringComparison.Ordinal);
        return text.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => l[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(pair => pair[..pair.IndexOf('=', StringComparison.Ordinal)]);
    }

    /// <summary>The project and every project it references, directly or not, as paths from the repository root.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!closure.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(Path.Combine(DeployFiles.Root, next)).Descendants("ProjectReference"))
            {
                var relative = Path.GetRelativePath(DeployFiles.Root, Path.GetFullPath(Path.Combine(DeployFiles.Root, folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
                pending.Push(relative.Replace('\\', '/'));
            }
        }

        return closure;
    }

    private static bool GitIgnored(string pattern) =>
        File.ReadLines(Path.Combine(DeployFiles.Root, ".gitignore")).Contains(pattern, StringComparer.Ordinal);

    private static string Constant(string name) =>
        (string)typeof(KubernetesHostingOptions).GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    [GeneratedRegex(@"^COPY (?<path>src/\S+\.csproj) ", RegexOptions.Multiline)]
    private static partial Regex CopiedProject();

    [GeneratedRegex(@"HEALTHCHECK[^\n]*\n?\s*CMD curl -fsS http://127\.0\.0\.1:(?<port>\d+)(?<path>/\S*)")]
    private static partial Regex HealthCheckUrl();
}
