namespace Orchestrator.Grains.Tasks;

/// <summary>The three ends of <see cref="RestartRules.Decide"/>.</summary>
public enum RestartOutcome
{
    Restart,
    Complete,
    Fail,
}
