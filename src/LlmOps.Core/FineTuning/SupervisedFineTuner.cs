using System.Diagnostics;
using System.Globalization;
using LlmOps.Core.Chat;
using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.FineTuning;

/// <summary>
/// Supervised fine-tuning of a <see cref="Gpt"/> checkpoint on instruction data, through the <see cref="TrainingLoop"/>
/// every trainer shares (checkpoints with exact resume, early stopping, tracking, the live curve): trl's
/// <c>SFTTrainer</c> with a chat template and completion-only loss.
/// </summary>
/// <remarks>
/// <para>With the ChatML template the tokenizer must have <c>&lt;|im_start|&gt;</c> and <c>&lt;|im_end|&gt;</c> as
/// special tokens, so that user text can never forge a turn; a base tokenizer without them gets them through
/// <see cref="VocabularyExpansion.AddSpecialTokens"/> (saved as <c>OutFolder/tokenizer</c>, which the checkpoints
/// name), and the model gets the matching embedding rows (<see cref="Gpt.ResizeTokenEmbeddings"/>).</para>
/// <para>Unpacked, each row of a batch is one example, right-padded; packed (<see cref="SftConfig.Packing"/>), a row
/// holds examples back to back with a block-diagonal causal mask and positions restarting at each
/// (<see cref="PackedSequences"/>). Either way attention never crosses examples. Examples longer than the model's
/// context are left out and counted.</para>
/// <para>Parameter-efficient methods (<see cref="SftConfig.Method"/> <c>lora</c>, <c>adapter</c>, ...) apply to the
/// resized base through <see cref="PeftFactory"/> (seeded), and the same loop trains only their parameters (the
/// optimizer takes what requires gradients). Their checkpoints hold only those tensors (<see cref="PeftCheckpoint"/>)
/// beside the loop's optimizer and trainer state, so they resume exactly like full runs. They train in fp32: the loop's
/// bf16 twin is built from the model's config and would lack the method's modules, so a bf16 request is noted in
/// <see cref="SftResult.Note"/> and not followed. A LoRA run also exports the served checkpoint's adapter in peft's
/// layout to <c>OutFolder/adapter</c>.</para>
/// <para>The result loads into a chat client with <see cref="OpenChatClient"/> (or <see cref="SftResult.OpenChatClient"/>),
/// whichever the method.</para>
/// </remarks>
public static class SupervisedFineTuner
{
    /// <summary>The run store's kind for these runs.</summary>
    public const string RunKind = "sft";

    /// <summary>The folder under <see cref="SftConfig.OutFolder"/> that holds an expanded tokenizer.</summary>
    public const string TokenizerFolderName = "tokenizer";

    /// <summary>The folder under <see cref="SftConfig.OutFolder"/> that a LoRA run exports its adapter to, in peft's layout.</summary>
    public const string AdapterFolderName = "adapter";

    /// <summary>Reads the data, then fine-tunes as <paramref name="config"/> says, showing a live
    /// <see cref="PretrainProgress"/> through the display hook.</summary>
    /// <param name="config">Every setting of the run.</param>
    /// <param name="tokenizers">Where tokenizer names resolve; the default registry when null.</param>
    /// <param name="cancellationToken">Stops the run after the step in progress, leaving a resumable checkpoint.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    /// <exception cref="DataFormatException">A data file has a bad record; the message names file, line and field.</exception>
    /// <exception cref="InvalidOperationException">The data, tokenizer and model do not fit together; the message says how.</exception>
    public static async Task<SftResult> RunAsync(SftConfig config, TokenizerRegistry? tokenizers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var train = await InstructionJsonl.ReadAsync(config.TrainData, cancellationToken: cancellationToken).ConfigureAwait(false);
        var validation = await InstructionJsonl.ReadAsync(config.ValidationData, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Run(config, train.Examples, validation.Examples, tokenizers, null, cancellationToken);
    }

    internal static SftResult Run(SftConfig config, IReadOnlyList<InstructionExample> trainExamples, IReadOnlyList<InstructionExample> validationExamples,
        TokenizerRegistry? tokenizers, TrainingLoopHooks? hooks, CancellationToken cancellationToken)
    {
        config.Validate();
        var session = Stopwatch.StartNew();
        var (device, target, bfloat16, peak) = TrainingHardware.Resolve(config.Device, config.Precision, config.PeakFlopsPerSecond);
        var method = config.PeftMethod;
        string? note = null;
        if (method is not null && bfloat16)
        {
            // The loop's bf16 twin is a plain GPT built from the config: it lacks the method's modules (ComputeModel refuses it).
            bfloat16 = false;
            note = "bf16 not used: the bf16 twin cannot hold a PEFT method's modules, so the run trained in fp32";
        }

        // ---- tokenizer: the base's, with the chat template's special tokens added when it lacks them ------------------
        var baseInfo = GptCheckpoint.Load(config.BaseModel, CPU);
        var baseConfig = baseInfo.Config;
        string baseTokenizer = config.Tokenizer ?? baseInfo.Metadata.Tokenizer
            ?? throw new InvalidOperationException($"The base checkpoint {config.BaseModel} does not name its tokenizer; set Tokenizer.");
        string? dataManifest = baseInfo.Metadata.DataManifestId;
        baseInfo.Dispose();
        var registry = tokenizers ?? new TokenizerRegistry();
        var (tokenizer, tokenizerRef, added) = ChatTokenizer(config, registry.Get(baseTokenizer), baseTokenizer);
        var template = config.Template == "chatml" ? ChatTemplate.ChatMl : ChatTemplate.Markers;

        // ---- data: encoded through the template; what does not fit the context is counted and left out --------------
        // The context is the block less the positions a prompt-learning method's virtual tokens take.
        int context = baseConfig.BlockSize - PeftFactory.VirtualPositions(method, config.PeftOrDefault);
        var trainSequences = Encode(trainExamples, tokenizer, template, context, out int skippedTrain);
        var validationSequences = Encode(validationExamples, tokenizer, template, context, out int skippedValidation);
        if (trainSequences.Count == 0 || validationSequences.Count == 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No examples fit the model's context of {context} tokens ({trainSequences.Count} training, {validationSequences.Count} validation of {trainExamples.Count} and {validationExamples.Count}): shorten them or use a model with a longer context."));
        int rowsPerEpoch = config.Packing ? PackedRows(trainSequences, context) : trainSequences.Count;
        int steps = config.StepsFor(rowsPerEpoch);
        double meanLength = trainSequences.Sum(s => s.Ids.Length - 1L) / (double)rowsPerEpoch; // tokens per row

        // ---- seeds and resume point, then the model: the base (resized), or resumed from the checkpoint -------------
        var loop = new TrainingLoop(new TrainingLoopConfig(
            CheckpointFolder: Path.Combine(config.OutFolder, "checkpoints"), Device: device, BFloat16: bfloat16, Seed: config.Seed,
            BatchSize: config.BatchSize, GradientAccumulationSteps: config.GradientAccumulationSteps,
            TokensPerStep: Math.Max(1, (long)Math.Round(meanLength * config.BatchSize * config.GradientAccumulationSteps)),
            MaxSteps: steps, Schedule: config.Schedule(steps), WeightDecay: config.WeightDecay, Beta1: config.Beta1, Beta2: config.Beta2,
            GradClip: config.GradClip, EvalEvery: config.EvalEvery, CheckpointEvery: config.CheckpointEvery, KeepLast: config.KeepLast,
            EarlyStoppingPatience: config.EarlyStoppingPatience, RunName: config.RunName ?? $"sft {config.Method} {Path.GetFileName(Path.TrimEndingDirectorySeparator(config.BaseModel))}",
            RunKind: RunKind, RunStorePath: config.RunStorePath, RecordedConfig: config, DataManifestId: dataManifest, Resume: config.Resume,
            ResumeFrom: config.ResumeFrom, PeakFlopsPerSecond: peak), session);
        // A PEFT run always starts from the base (its checkpoints hold only the trained tensors, copied in after).
        bool wholeResume = method is null && loop.ResumeFrom is not null;
        using var model = LoadModel(wholeResume ? loop.ResumeFrom! : config.BaseModel, tokenizer, target, resumed: wholeResume);
        model.to(target);
        var metadata = new CheckpointMetadata(tokenizerRef, dataManifest);
        IPeftModel? peft = null;
        Action<string, IReadOnlyDictionary<string, string>> saveWeights = (folder, extra) => GptCheckpoint.Save(folder, model, metadata with { Extra = extra });
        if (method is { } m)
        {
            var settings = config.PeftOrDefault;
            int peftSeed = SeedScope.Derive(config.Seed, "peft-init");
            // The frozen head can only emit what the base predicts: the new end-of-turn row starts as end-of-document's.
            var rowsCopied = new Dictionary<int, int>();
            if (added.Contains(ChatTemplate.ImEnd) && tokenizer.SpecialTokens.TryGetValue(BpeTrainerConfig.EndOfText, out int endOfText)
                && tokenizer.SpecialTokens.TryGetValue(ChatTemplate.ImEnd, out int imEnd))
                rowsCopied[imEnd] = endOfText;
            PeftCheckpoint.CopyRows(model, rowsCopied);
            peft = PeftFactory.Apply(model, m, settings, peftSeed);
            int[]? templateTokens = settings.TrainTemplateTokens ? [tokenizer.SpecialTokens[ChatTemplate.ImStart], tokenizer.SpecialTokens[ChatTemplate.ImEnd]] : null;
            PeftCheckpoint.AttachTrainableTokens(model, templateTokens);
            if (loop.ResumeFrom is { } from)
                PeftCheckpoint.LoadWeights(from, peft, settings);
            var info = new PeftCheckpointInfo(PeftFactory.Name(m), settings, peftSeed, Path.GetFullPath(config.BaseModel), model.Config.VocabSize,
                tokenizerRef, dataManifest, rowsCopied, new Dictionary<string, string>(), TrainableTokens: templateTokens);
            saveWeights = (folder, extra) => PeftCheckpoint.Write(folder, peft, info with { Extra = extra });
        }
        model.train();
        var task = new SftTask(model, trainSequences, validationSequences, config.BatchSize, config.EvalBatches, loop.Seeds, target, saveWeights,
            twinnable: peft is null, config.Packing ? context : null);
        var result = loop.Run(task, hooks, cancellationToken);
        var trainable = TrainableParameters.Of(model);
        string? adapterFolder = null;
        if (peft is LoraModel lora && (result.BestCheckpoint ?? result.LastCheckpoint) is { } served)
        {
            // The adapter of the checkpoint a client serves (the best), not necessarily of the last step.
            PeftCheckpoint.LoadWeights(served, lora, config.PeftOrDefault);
            adapterFolder = Path.Combine(Path.GetFullPath(config.OutFolder), AdapterFolderName);
            lora.SaveAdapter(adapterFolder, baseModelNameOrPath: Path.GetFullPath(config.BaseModel));
        }
        return new SftResult(result, config.Method, template.Name, tokenizerRef, added, trainSequences.Count, validationSequences.Count,
            skippedTrain + skippedValidation, trainable.Trainable, trainable.Total, trainable.OptimizerStateBytes,
            StepsPerSecond(result, loop.Config.TokensPerStep), peft is null ? null : config.PeftOrDefault, adapterFolder, note);
    }

    /// <summary>A chat client over the tuned model in <paramref name="checkpoint"/>, whichever the method: a whole
    /// checkpoint loads as it is (<see cref="LocalChatClient.FromCheckpoint"/>); a PEFT one rebuilds base + method +
    /// trained tensors (<see cref="PeftCheckpoint.Open"/>). The template follows the tokenizer it names, as in training.
    /// The client owns the model.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint, or the base it names, is missing.</exception>
    /// <exception cref="InvalidDataException">A file does not fit; the message names it.</exception>
    public static LocalChatClient OpenChatClient(string checkpoint, TokenizerRegistry? tokenizers = null, GenerationConfig? defaults = null, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        if (!PeftCheckpoint.Exists(checkpoint))
            return LocalChatClient.FromCheckpoint(checkpoint, tokenizers, defaults: defaults, device: device);
        var (peft, info) = PeftCheckpoint.Open(checkpoint, device);
        try
        {
            string name = info.Tokenizer ?? throw new InvalidDataException($"{Path.Combine(checkpoint, PeftCheckpoint.ConfigFile)} names no tokenizer.");
            var tokenizer = (tokenizers ?? new TokenizerRegistry()).Get(name);
            string modelId = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpoint)))}-{info.Method}";
            return new LocalChatClient(peft.Model, tokenizer, null, defaults, modelId, ownsModel: true);
        }
        catch
        {
            peft.Model.Dispose();
            throw;
        }
    }

    /// <summary>Steps per second of this session's time in training steps (each step's time is its tokens over its
    /// tokens per second), so set-up, evaluations and checkpoints do not count.</summary>
    static double StepsPerSecond(PretrainResult result, long tokensPerStep)
    {
        var steps = result.Train.Where(s => s.Step > (result.ResumedFromStep ?? 0) && s.TokensPerSecond > 0).ToList();
        double seconds = steps.Sum(s => tokensPerStep / s.TokensPerSecond);
        return seconds > 0 ? steps.Count / seconds : 0;
    }

    /// <summary>The tokenizer to train with: the base's when the template needs nothing it lacks, else the base's with
    /// ChatML's markers added as special tokens, saved under the out folder (or read back from there on a resume).</summary>
    static (LlmTokenizer Tokenizer, string Reference, IReadOnlyList<string> Added) ChatTokenizer(SftConfig config, LlmTokenizer baseTokenizer, string baseReference)
    {
        if (config.Template != "chatml" || ChatTemplate.For(baseTokenizer).Name == ChatTemplate.ChatMl.Name)
            return (baseTokenizer, baseReference, []);
        string folder = Path.GetFullPath(Path.Combine(config.OutFolder, TokenizerFolderName));
        var model = baseTokenizer.Model ?? throw new InvalidOperationException(
            $"{baseTokenizer.Name} lacks ChatML's special tokens and, being built in, cannot be extended; train with Template \"markers\".");
        var expansion = VocabularyExpansion.AddSpecialTokens(model, [ChatTemplate.ImStart, ChatTemplate.ImEnd], baseTokenizer.Name + "-chat");
        var added = expansion.Resize.NewTokens.Select(t => t.Text).ToList();
        if (TokenizerFolder.Exists(folder))
        {
            // A resumed run: the saved tokenizer must be the one this run would make, or the checkpoints' ids would shift.
            var saved = TokenizerFolder.Load(folder);
            if (saved.VocabSize != expansion.Model.VocabSize || !saved.SpecialTokens.OrderBy(p => p.Value).SequenceEqual(LlmTokenizer.FromModel(expansion.Model).SpecialTokens.OrderBy(p => p.Value)))
                throw new InvalidOperationException($"{folder} holds another tokenizer than {baseTokenizer.Name} plus ChatML's tokens; use a fresh OutFolder.");
            return (saved, folder, added);
        }
        TokenizerFolder.Save(expansion.Model, folder);
        return (TokenizerFolder.Load(folder), folder, added);
    }

    static List<SftSequence> Encode(IReadOnlyList<InstructionExample> examples, LlmTokenizer tokenizer, ChatTemplate template, int blockSize, out int skipped)
    {
        var sequences = new List<SftSequence>(examples.Count);
        foreach (var example in examples)
        {
            var sequence = SftSequence.Encode(example, tokenizer, template);
            if (sequence.Ids.Length - 1 <= blockSize)
                sequences.Add(sequence);
        }
        skipped = examples.Count - sequences.Count;
        return sequences;
    }

    /// <summary>How many rows the examples pack into, in their file order, each row taking examples while the next fits
    /// in <paramref name="context"/> positions: what one packed epoch holds (the seeded order changes it by a row or so).</summary>
    static int PackedRows(IReadOnlyList<SftSequence> sequences, int context)
    {
        int rows = 0, used = context;
        foreach (var sequence in sequences)
        {
            int length = sequence.Ids.Length - 1;
            if (used + length > context)
            {
                rows++;
                used = 0;
            }
            used += length;
        }
        return rows;
    }

    static Gpt LoadModel(string folder, LlmTokenizer tokenizer, Device target, bool resumed)
    {
        var loaded = GptCheckpoint.Load(folder, target);
        var model = loaded.Model;
        if (resumed && model.Config.VocabSize != tokenizer.VocabSize && model.Config.VocabSize < tokenizer.VocabSize)
        {
            loaded.Dispose();
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{folder} has {model.Config.VocabSize} embeddings but the tokenizer {tokenizer.VocabSize} ids; resume with the run's tokenizer."));
        }
        if (model.Config.VocabSize < tokenizer.VocabSize)
            model.ResizeTokenEmbeddings(tokenizer.VocabSize); // new rows start at the mean of the old ones
        return model;
    }
}
