using System.CommandLine;
using System.Globalization;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Output;
using Orchestrator.Operations.Secrets;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch secret create|ls|rm</c>: secrets that jobs mount at <c>/run/secrets</c>, stored encrypted; their values are never shown.</summary>
internal static class SecretCommand
{
    private const string Stdin = "-";

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return new Command("secret", """
            Secrets: values (passwords, keys, certificates) a job reads as files under /run/secrets,
            stored encrypted with the cluster key (the silo's Orchestrator:SecretsKeyFile) and never shown.
            """)
        {
            CreateCommand(runner),
            ListCommand(runner),
            RemoveCommand(runner),
        };
    }

    private static Command CreateCommand(CommandRunner runner)
    {
        var name = new Argument<string>("NAME") { Description = "The secret's name: a lowercase DNS label." };
        var source = new Argument<string?>("-") { Description = "Read the value from standard input.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the value from this file.", HelpName = "FILE" };
        var command = new Command("create", $"""
            Stores a secret of 1 to {SecretRules.MaxValueBytes} bytes, read from a file or standard input. A secret never
            changes: to give it a new value, remove it and create it again.

            Examples:
              orch secret create db-pass -f ./db-pass.txt
              printf %s "$PASSWORD" | orch secret create db-pass -
            """)
        {
            name,
            source,
            file,
        };
        runner.Bind(command, (context, parse) => CreateAsync(context, parse.GetRequiredValue(name), parse.GetValue(source), parse.GetValue(file)));
        return command;
    }

    private static Command ListCommand(CommandRunner runner)
    {
        var command = new Command("ls", """
            Lists secrets: name, size and age; never a value.

            Example:
              orch secret ls
            """);
        runner.Bind(command, (context, _) => ListAsync(context));
        return command;
    }

    private static Command RemoveCommand(CommandRunner runner)
    {
        var name = new Argument<string>("NAME") { Description = "The secret's name." };
        var command = new Command("rm", """
            Removes a secret; refused while a job that is not stopped uses it.

            Example:
              orch secret rm db-pass
            """)
        {
            name,
        };
        runner.Bind(command, (context, parse) => RemoveAsync(context, parse.GetRequiredValue(name)));
        return command;
    }

    private static async Task<int> CreateAsync(CommandContext context, string name, string? source, string? file)
    {
        if ((source is null) == (file is null) || source is not (null or Stdin))
        {
            throw CommandFailedException.BadInput("secret create: give the value as exactly one of -f FILE or - (standard input)");
        }
        var value = await ReadValueAsync(file, context.CancellationToken).ConfigureAwait(false);
        var secret = await context.CallAsync(client => SecretActions.CreateAsync(client, name, value)).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(SecretRow.From(secret));
        }
        else
        {
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"secret {secret.Name} created ({secret.SizeBytes} bytes)"));
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context)
    {
        var secrets = await context.CallAsync(SecretActions.ListAsync).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(secrets.Select(SecretRow.From).ToList());
            return ExitCodes.Ok;
        }
        var now = DateTimeOffset.UtcNow;
        var table = Tables.Create("NAME", "SIZE", "CREATED");
        foreach (var secret in secrets)
        {
            table.AddTextRow(secret.Name, secret.SizeBytes.ToString(CultureInfo.InvariantCulture) + " B", Ages.Since(secret.CreatedAt, now) + " ago");
        }
        context.Ansi.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(CommandContext context, string name)
    {
        var secret = await context.CallAsync(client => SecretActions.RemoveAsync(client, name)).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(SecretRow.From(secret));
        }
        else
        {
            context.WriteLine($"secret {secret.Name} removed");
        }
        return ExitCodes.Ok;
    }

    // One byte past the limit is enough to refuse a value that is too large, without reading all of it.
    private static async Task<byte[]> ReadValueAsync(string? file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = file is null ? Console.OpenStandardInput() : File.OpenRead(file);
            var buffer = new byte[SecretRules.MaxValueBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
            return buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.BadInput($"cannot read the secret's value from {file ?? "standard input"}: {e.Message}");
        }
    }
}
