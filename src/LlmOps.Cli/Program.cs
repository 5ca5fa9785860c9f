using LlmOps.Cli;

return await LlmOpsCommand.InvokeAsync(args);
