using LlmOps.Cli;

return await LlmOpsCommand.Create().Parse(args).InvokeAsync();
