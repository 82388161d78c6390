using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Secrets;
using Xunit;

namespace Orchestrator.Tests.Secrets;

public sealed class SecretRulesTests
{
    private static readonly JobSpec Valid = new() { Name = "web", Image = "orch-test/busybox:latest" };

    [Theory]
    [InlineData("db-pass")]
    [InlineData("a")]
    [InlineData("tls-2")]
    public void Dns_label_names_are_accepted(string name) => Assert.Null(SecretRules.NameError(name));

    [Theory]
    [InlineData("")]
    [InlineData("Db-Pass")]
    [InlineData("db_pass")]
    [InlineData("-db")]
    [InlineData("db/pass")]
    [InlineData("../db")]
    public void Other_names_are_refused_naming_the_field(string name) => Assert.Equal("name", SecretRules.NameError(name)?.Field);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(SecretRules.MaxValueBytes, true)]
    [InlineData(SecretRules.MaxValueBytes + 1, false)]
    public void Values_are_1_to_64_KiB(int size, bool accepted) => Assert.Equal(accepted, SecretRules.ValueError(size) is null);

    [Theory]
    [InlineData(null)]
    [InlineData("password")]
    [InlineData("tls.key")]
    [InlineData("DB_PASS-2")]
    public void A_job_may_mount_a_secret_as_a_plain_file_name(string? target)
    {
        var spec = Valid with { Secrets = [new SecretSpec { Name = "db-pass", Target = target }] };

        Assert.Empty(JobSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a b")]
    public void A_target_that_is_not_a_plain_file_name_is_refused(string target)
    {
        var spec = Valid with { Secrets = [new SecretSpec { Name = "db-pass", Target = target }] };

        var error = Assert.Single(JobSpecValidator.Validate(spec));
        Assert.Equal("secrets[0].target", error.Field);
    }

    [Fact]
    public void Two_secrets_may_not_share_a_file_and_names_follow_the_secret_rule()
    {
        var spec = Valid with
        {
            Secrets = [new SecretSpec { Name = "a" }, new SecretSpec { Name = "b", Target = "a" }, new SecretSpec { Name = "Bad" }],
        };

        Assert.Equal(["secrets[1].target", "secrets[2].name"], JobSpecValidator.Validate(spec).Select(e => e.Field));
    }

    [Fact]
    public void The_job_file_reads_secrets_with_an_optional_target_and_refuses_unknown_fields()
    {
        var spec = JobSpecParser.Parse("""{"name":"web","image":"busybox","secrets":[{"name":"db-pass"},{"name":"tls","target":"tls.key"}]}""");

        Assert.Equal(["db-pass", "tls.key"], spec.Secrets.Select(s => s.FileName));
        var error = Assert.Throws<JobSpecException>(() => JobSpecParser.Parse("""{"name":"web","image":"busybox","secrets":[{"name":"a","value":"x"}]}"""));
        Assert.Contains("secrets[0].value", error.Message, StringComparison.Ordinal);
    }
}
