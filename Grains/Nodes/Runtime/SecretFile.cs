namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>One secret's value, to be readable in the container as <c>/run/secrets/FILENAME</c>.</summary>
public sealed record SecretFile(string FileName, ReadOnlyMemory<byte> Value)
{
    // A record prints its properties; a secret's value must never reach a log line by way of its container's request.
    public override string ToString() => $"SecretFile {{ FileName = {FileName}, {Value.Length} bytes }}";
}
