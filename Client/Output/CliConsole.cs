using Spectre.Console;

namespace Orchestrator.Client.Output;

/// <summary>
/// Where a command writes: stdout for results, stderr for the one-line error. <see cref="IsTerminal"/>
/// turns on colours and live redraws; otherwise output is plain text that scripts can read.
/// </summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsTerminal)
{
    // Wide enough that tables written to a pipe or a file are never wrapped.
    private const int PlainWidth = 250;

    /// <summary>A Spectre console over <see cref="Out"/>.</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!IsTerminal)
        {
            console.Profile.Width = PlainWidth;
        }
        return console;
    }

    /// <summary>Writes the command's error as one line: <c>orch: what and why</c>.</summary>
    public void WriteError(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        Error.WriteLine($"orch: {line}");
    }

    /// <summary>Writes one line of progress on stderr (such as a retry), kept apart from stdout's results and without the error's prefix.</summary>
    public void WriteProgress(string message)
    {
        Error.WriteLine(message.ReplaceLineEndings(" ").Trim());
        Error.Flush();
    }
}
