using System.CommandLine;
using LlmOps.Cli.Output;
using LlmOps.Core.Display;
using LlmOps.Core.Platform;
using Spectre.Console;

namespace LlmOps.Cli.Commands;

/// <summary><c>llmops env</c>: the device, threads, libtorch version and a measured matmul rate.</summary>
static class EnvCommand
{
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = $"auto, cpu or cuda (default: ${DeviceSelector.EnvironmentVariable}, else auto)" };
        var size = new Option<int>("--matmul-size") { Description = "side of the square fp32 matrices timed", DefaultValueFactory = _ => 1024 };
        var seconds = new Option<double>("--matmul-seconds") { Description = "minimum seconds spent timing", DefaultValueFactory = _ => 0.5 };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("env", "Show the compute environment: device, threads, libtorch, measured matmul GFLOP/s") { device, size, seconds, json };
        command.SetAction(parse =>
        {
            var console = ConsoleFor.Output(parse);
            EnvironmentReport report;
            try
            {
                report = EnvironmentReport.Collect(parse.GetValue(device), parse.GetValue(size), parse.GetValue(seconds));
            }
            catch (ArgumentException e)
            {
                return CliErrors.Report(parse, e.Message, CliErrors.Usage); // an option's value is not one we know
            }
            if (parse.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(Json.Serialize(report));
                return 0;
            }
            var table = new Table().Title("llmops env").AddColumn("what").AddColumn("value");
            foreach (var (name, value) in TextRenderer.Rows(report))
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            console.Write(table);
            return 0;
        });
        return command;
    }
}
