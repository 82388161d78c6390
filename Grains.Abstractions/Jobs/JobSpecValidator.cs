using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Every rule of the job file (docs/CONTRACT.md, Job file) on a parsed spec. The client runs it before sending; the silo runs it
/// again with the policy and the largest node's capacity, since it never trusts a client.
/// </summary>
public static partial class JobSpecValidator
{
    /// <summary>Returns every broken rule, in field order; empty when the spec is valid.</summary>
    /// <param name="spec">The spec to check.</param>
    /// <param name="policy">The silo's policy; null skips the policy checks (the client does not know it).</param>
    /// <param name="largestNode">The largest node's capacity; null skips the "fits some node" checks.</param>
    public static IReadOnlyList<SpecError> Validate(JobSpec spec, ExecutionPolicy? policy = null, NodeCapacity? largestNode = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var nulls = FindNulls(spec);
        if (nulls.Count > 0)
        {
            // A spec that reached a silo through Orleans skipped the parser; nulls must not crash the rules below.
            return nulls;
        }
        var errors = new List<SpecError>();
        void Fail(string field, string rule) => errors.Add(new SpecError(field, rule));

        if (string.IsNullOrEmpty(spec.Name))
        {
            Fail("name", "is required");
        }
        else if (!DnsLabel().IsMatch(spec.Name))
        {
            Fail("name", "must be a lowercase DNS label: [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
        }

        if (string.IsNullOrEmpty(spec.Image))
        {
            Fail("image", "is required");
        }
        else if (spec.Image.Length > SpecLimits.MaxImageLength || !ImageReference().IsMatch(spec.Image))
        {
            Fail("image", "must be a Docker image reference such as name:tag");
        }

        if (spec.Command is { } command)
        {
            if (command.Count > SpecLimits.MaxCommandItems)
            {
                Fail("command", $"must have at most {SpecLimits.MaxCommandItems} items");
            }
            else if (command.Sum(c => Encoding.UTF8.GetByteCount(c)) > SpecLimits.MaxCommandBytes)
            {
                Fail("command", $"must be at most {SpecLimits.MaxCommandBytes} bytes in all");
            }
            else if (command.Any(c => c.Contains('\0', StringComparison.Ordinal)))
            {
                Fail("command", "must not contain NUL characters");
            }
        }

        ValidateEnv(spec.Env, Fail);

        if (spec.Replicas is < 0 or > SpecLimits.MaxReplicas)
        {
            Fail("replicas", $"must be an integer from 0 to {SpecLimits.MaxReplicas} (got {spec.Replicas})");
        }

        ValidateResources(spec.Resources, largestNode, Fail);
        ValidatePorts(spec.Ports, Fail);
        ValidateRestart(spec.Restart, Fail);
        ValidateBatch(spec, Fail);
        ValidateSchedule(spec, Fail);
        if (spec.Health is { } health)
        {
            ValidateHealth(health, Fail);
        }

        ValidatePlacement(spec, Fail);

        ValidateUpdate(spec.Update, Fail);

        if (spec.Scheduler is { } scheduler && !SchedulerNames.All.Contains(scheduler))
        {
            Fail("scheduler", $"must be one of {string.Join(", ", SchedulerNames.All)} (got '{scheduler}')");
        }

        if (!ImagePullPolicies.All.Contains(spec.ImagePull))
        {
            Fail("imagePull", $"must be one of {string.Join(", ", ImagePullPolicies.All)} (got '{spec.ImagePull}')");
        }

        errors.AddRange(SecretRules.Validate(spec.Secrets));
        ValidateElevated(spec, policy, Fail);
        return errors;
    }

    /// <summary>Throws <see cref="JobSpecException"/> when <see cref="Validate"/> finds anything.</summary>
    public static void EnsureValid(JobSpec spec, ExecutionPolicy? policy = null, NodeCapacity? largestNode = null)
    {
        var errors = Validate(spec, policy, largestNode);
        if (errors.Count > 0)
        {
            throw new JobSpecException(errors);
        }
    }

    /// <summary>Every null where a value is required: properties, and the items of lists and maps.</summary>
    public static IReadOnlyList<SpecError> FindNulls(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();
        void Required(string field, object? value)
        {
            if (value is null)
            {
                errors.Add(new SpecError(field, "must not be null"));
            }
        }
        void Items<T>(string field, IReadOnlyList<T?>? items)
        {
            for (var i = 0; items is not null && i < items.Count; i++)
            {
                Required($"{field}[{i}]", items[i]);
            }
        }
        void Values(string field, IReadOnlyDictionary<string, string>? map)
        {
            foreach (var (key, value) in map ?? new Dictionary<string, string>())
            {
                Required($"{field}.{key}", value);
            }
        }

        Required("name", spec.Name);
        Required("image", spec.Image);
        Required("env", spec.Env);
        Required("resources", spec.Resources);
        Required("ports", spec.Ports);
        Required("restart", spec.Restart);
        Required("constraints", spec.Constraints);
        Required("mounts", spec.Mounts);
        Required("capAdd", spec.CapAdd);
        Required("update", spec.Update);
        Required("imagePull", spec.ImagePull);
        Required("secrets", spec.Secrets);
        if (spec.Restart is { } restart)
        {
            Required("restart.policy", restart.Policy);
        }
        if (spec.Health?.Http is { } http)
        {
            Required("health.http.path", http.Path);
        }
        Items("command", spec.Command);
        Values("env", spec.Env);
        Items("ports", spec.Ports);
        Items("health.exec", spec.Health?.Exec);
        foreach (var (label, constraint) in spec.Constraints ?? new Dictionary<string, LabelConstraint>())
        {
            // A null constraint and one with null values read the same to a user: that label's entry is missing.
            Required($"constraints.{label}", constraint?.Values);
            Items($"constraints.{label}", constraint?.Values);
        }
        Items("mounts", spec.Mounts);
        for (var i = 0; spec.Mounts is not null && i < spec.Mounts.Count; i++)
        {
            if (spec.Mounts[i] is { } mount)
            {
                Required($"mounts[{i}].source", mount.Source);
                Required($"mounts[{i}].target", mount.Target);
            }
        }
        Items("capAdd", spec.CapAdd);
        Items("secrets", spec.Secrets);
        for (var i = 0; spec.Secrets is not null && i < spec.Secrets.Count; i++)
        {
            Required($"secrets[{i}].name", spec.Secrets[i]?.Name);
        }
        return errors;
    }

    private static void ValidateEnv(IReadOnlyDictionary<string, string> env, Action<string, string> fail)
    {
        if (env.Count > SpecLimits.MaxEnvEntries)
        {
            fail("env", $"must have at most {SpecLimits.MaxEnvEntries} entries");
            return;
        }
        var bytes = 0;
        foreach (var (key, value) in env)
        {
            bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                fail($"env.{key}", "names must be non-empty without '=' or NUL, values without NUL");
            }
        }
        if (bytes > SpecLimits.MaxEnvBytes)
        {
            fail("env", $"must be at most {SpecLimits.MaxEnvBytes} bytes in all");
        }
    }

    private static void ValidateResources(ResourceSpec resources, NodeCapacity? largestNode, Action<string, string> fail)
    {
        if (!double.IsFinite(resources.Cpu))
        {
            fail("resources.cpu", $"must be a finite number of cores (got {resources.Cpu})");
        }
        else if (resources.Cpu < SpecLimits.MinCpu)
        {
            fail("resources.cpu", $"must be at least {SpecLimits.MinCpu} cores, the engine's minimum (got {resources.Cpu})");
        }
        else if (largestNode is { } node && resources.Cpu > node.Cpus)
        {
            fail("resources.cpu", $"must be at most {node.Cpus} cores, the largest node (got {resources.Cpu})");
        }

        if (resources.MemoryMb < SpecLimits.MinMemoryMb)
        {
            fail("resources.memoryMb", $"must be at least {SpecLimits.MinMemoryMb} MB, the engine's minimum (got {resources.MemoryMb})");
        }
        else if (largestNode is { } node && resources.MemoryMb > node.MemoryMb)
        {
            fail("resources.memoryMb", $"must be at most {node.MemoryMb} MB, the largest node (got {resources.MemoryMb})");
        }
    }

    private static void ValidatePorts(IReadOnlyList<PortSpec> ports, Action<string, string> fail)
    {
        if (ports.Count > SpecLimits.MaxPorts)
        {
            fail("ports", $"must have at most {SpecLimits.MaxPorts} entries");
            return;
        }
        var containerPorts = new HashSet<int>();
        var hostPorts = new HashSet<int>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (port is null)
            {
                fail($"ports[{i}]", "must be an object");
                continue;
            }
            if (port.Container is < 1 or > 65535)
            {
                fail($"ports[{i}].container", $"must be from 1 to 65535 (got {port.Container})");
            }
            else if (!containerPorts.Add(port.Container))
            {
                fail($"ports[{i}].container", $"must not repeat another entry's port {port.Container}");
            }
            if (port.Host is < 0 or > 65535)
            {
                fail($"ports[{i}].host", $"must be 0 (any free port) or from 1 to 65535 (got {port.Host})");
            }
            else if (port.Host != 0 && !hostPorts.Add(port.Host))
            {
                fail($"ports[{i}].host", $"must not repeat another entry's port {port.Host}");
            }
        }
    }

    private static void ValidateRestart(RestartSpec restart, Action<string, string> fail)
    {
        if (!RestartPolicies.All.Contains(restart.Policy))
        {
            fail("restart.policy", $"must be one of {string.Join(", ", RestartPolicies.All)} (got '{restart.Policy}')");
        }
        if (restart.MaxRestarts < 0)
        {
            fail("restart.maxRestarts", $"must be at least 0 (got {restart.MaxRestarts})");
        }
        if (double.IsNaN(restart.BackoffSeconds) || restart.BackoffSeconds is < 0 or > SpecLimits.MaxBackoffSeconds)
        {
            fail("restart.backoffSeconds", $"must be from 0 to {SpecLimits.MaxBackoffSeconds} (got {restart.BackoffSeconds})");
        }
    }

    private static void ValidateHealth(HealthSpec health, Action<string, string> fail)
    {
        if ((health.Http is null) == (health.Exec is null))
        {
            fail("health", "must have exactly one of http or exec");
        }
        if (health.Http is { } http)
        {
            if (http.Port is < 1 or > 65535)
            {
                fail("health.http.port", $"must be from 1 to 65535 (got {http.Port})");
            }
            if (!http.Path.StartsWith('/'))
            {
                fail("health.http.path", $"must start with '/' (got '{http.Path}')");
            }
        }
        if (health.Exec is { Count: 0 })
        {
            fail("health.exec", "must have at least one item, the program to run");
        }
        if (double.IsNaN(health.IntervalSeconds) || health.IntervalSeconds is < 1 or > 3600)
        {
            fail("health.intervalSeconds", $"must be from 1 to 3600 (got {health.IntervalSeconds})");
        }
        if (double.IsNaN(health.TimeoutSeconds) || health.TimeoutSeconds is < 0.1 or > 300)
        {
            fail("health.timeoutSeconds", $"must be from 0.1 to 300 (got {health.TimeoutSeconds})");
        }
        if (health.FailureThreshold is < 1 or > 100)
        {
            fail("health.failureThreshold", $"must be from 1 to 100 (got {health.FailureThreshold})");
        }
    }

    private static void ValidateUpdate(UpdateSpec update, Action<string, string> fail)
    {
        if (update.MaxParallel is < 1 or > SpecLimits.MaxReplicas)
        {
            fail("update.maxParallel", $"must be an integer from 1 to {SpecLimits.MaxReplicas} (got {update.MaxParallel})");
        }
        if (double.IsNaN(update.MinHealthySeconds) || update.MinHealthySeconds is < 0 or > SpecLimits.MaxUpdateSeconds)
        {
            fail("update.minHealthySeconds", $"must be from 0 to {SpecLimits.MaxUpdateSeconds} (got {update.MinHealthySeconds})");
        }
        if (double.IsNaN(update.HealthyDeadlineSeconds) || update.HealthyDeadlineSeconds is <= 0 or > SpecLimits.MaxUpdateSeconds)
        {
            fail("update.healthyDeadlineSeconds", $"must be more than 0 and at most {SpecLimits.MaxUpdateSeconds} (got {update.HealthyDeadlineSeconds})");
        }
        else if (update.HealthyDeadlineSeconds <= update.MinHealthySeconds)
        {
            fail("update.healthyDeadlineSeconds", $"must be more than update.minHealthySeconds ({update.MinHealthySeconds}) (got {update.HealthyDeadlineSeconds})");
        }
    }

    private static void ValidateElevated(JobSpec spec, ExecutionPolicy? policy, Action<string, string> fail)
    {
        if (spec.Network is not (null or "bridge" or "host"))
        {
            fail("network", $"must be bridge or host (got '{spec.Network}')");
        }
        for (var i = 0; i < spec.Mounts.Count; i++)
        {
            var mount = spec.Mounts[i];
            if (!mount.Source.StartsWith('/') || !mount.Target.StartsWith('/'))
            {
                fail($"mounts[{i}]", "source and target must be absolute paths");
            }
            else if (mount.Source.AsSpan().IndexOfAny(':', ',') >= 0 || mount.Target.AsSpan().IndexOfAny(':', ',') >= 0)
            {
                // The engine reads ':' and ',' in a bind as option separators: a path holding one could add options.
                fail($"mounts[{i}]", "source and target must not contain ':' or ','");
            }
        }
        for (var i = 0; i < spec.CapAdd.Count; i++)
        {
            if (!Capability().IsMatch(spec.CapAdd[i]))
            {
                fail($"capAdd[{i}]", $"must be a capability name such as NET_ADMIN (got '{spec.CapAdd[i]}')");
            }
        }

        if (policy is null)
        {
            return;
        }
        if (spec.Privileged && !policy.AllowPrivileged)
        {
            fail("privileged", "is refused by this cluster's policy (Orchestrator:Policy:AllowPrivileged)");
        }
        if (spec.CapAdd.Count > 0 && !policy.AllowPrivileged)
        {
            fail("capAdd", "is refused by this cluster's policy (Orchestrator:Policy:AllowPrivileged)");
        }
        if (spec.Mounts.Count > 0 && !policy.AllowHostMounts)
        {
            fail("mounts", "is refused by this cluster's policy (Orchestrator:Policy:AllowHostMounts)");
        }
        if (spec.Network == "host" && !policy.AllowHostNetwork)
        {
            fail("network", "host is refused by this cluster's policy (Orchestrator:Policy:AllowHostNetwork)");
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    internal static partial Regex DnsLabel();

    // Docker's reference grammar: [registry[:port]/]path[:tag][@digest].
    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex("^(CAP_)?[A-Z_]{2,32}$")]
    private static partial Regex Capability();
}
