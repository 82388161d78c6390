using System.Text.Json.Serialization;

namespace Orchestrator.Silo.Api;

/// <summary>
/// The body of every error the API answers: one line that says what and why, and for invalid input the field and
/// the rule, exactly as <c>orch</c> reports them.
/// </summary>
internal sealed record ApiError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rule = null);
