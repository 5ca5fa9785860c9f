namespace LlmOps.Interactive.Engine.Execution;

/// <summary>A <c>#r "nuget: Id, Version"</c> request from a cell.</summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The version (or range); null for the newest stable.</param>
public sealed record PackageReference(string Id, string? Version);
