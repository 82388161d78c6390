using System.Reflection;

namespace Orchestrator.Tests.Persistence;

/// <summary>A grain context that records the deactivations asked of it and answers nothing else.</summary>
public class RecordingGrainContext : DispatchProxy
{
    public List<DeactivationReason> Deactivations { get; } = [];

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        switch (targetMethod.Name)
        {
            case nameof(IGrainContext.Deactivate):
                Deactivations.Add((DeactivationReason)args![0]!);
                return null;
            case "get_" + nameof(IGrainContext.GrainId):
                return GrainId.Create("job", "web");
            default:
                return targetMethod.ReturnType.IsValueType && targetMethod.ReturnType != typeof(void)
                    ? Activator.CreateInstance(targetMethod.ReturnType)
                    : null;
        }
    }
}
