using Orchestrator.Abstractions.Jobs;
using Xunit;

namespace Orchestrator.Tests.Examples;

/// <summary>
/// The job files in examples/ are what a new user submits first (scripts/up.sh runs web.json); NAME-vN.json is a later
/// version of job NAME (web-v2.json rolls out over web.json).
/// </summary>
public sealed class ExampleJobFilesTests
{
    public static TheoryData<string> ExampleFiles { get; } = new(
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_job_file_is_accepted_by_the_parser_and_the_validator(string file)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", file));

        var spec = JobSpecParser.Parse(json);

        Assert.Empty(JobSpecValidator.Validate(spec));
        var name = Path.GetFileNameWithoutExtension(file);
        Assert.Equal(name.Contains("-v", StringComparison.Ordinal) ? name[..name.LastIndexOf("-v", StringComparison.Ordinal)] : name, spec.Name);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Orchestrator.sln above {AppContext.BaseDirectory}");
    }
}
