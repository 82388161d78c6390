namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>Why a container engine call failed, so callers can tell a bad spec from a sick engine.</summary>
public enum ContainerRuntimeFailure
{
    /// <summary>The engine answered with an error not listed below.</summary>
    Engine,
    /// <summary>The engine could not be reached (socket missing, connection refused).</summary>
    Unreachable,
    /// <summary>The engine did not answer within the call timeout.</summary>
    Timeout,
    /// <summary>The engine speaks no API version this runtime can use.</summary>
    UnsupportedEngine,
    /// <summary>The image is not on the engine (a job whose pull policy is <c>never</c>, or one removed after its pull).</summary>
    ImageNotFound,
    /// <summary>A container with the requested name already exists.</summary>
    NameConflict,
    /// <summary>The container an operation needs does not exist.</summary>
    ContainerNotFound,
    /// <summary>
    /// The engine could not pull an image: unknown image or tag, access denied, registry unreachable, or the pull did
    /// not finish within its timeout. The message carries the engine's (and so the registry's) reason.
    /// </summary>
    ImagePullFailed,
}
