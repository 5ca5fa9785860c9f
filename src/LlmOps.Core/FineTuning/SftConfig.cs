using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;
using LlmOps.Core.Peft;
using LlmOps.Core.Training;

namespace LlmOps.Core.FineTuning;

/// <summary>
/// Every setting of a supervised fine-tuning run (<see cref="SupervisedFineTuner"/>): the base checkpoint, the
/// instruction data, the chat template, and the shared trainer's knobs. Saved and loaded as JSON, like
/// <see cref="PretrainConfig"/>.
/// </summary>
/// <param name="BaseModel">The checkpoint folder to fine-tune (a <see cref="Modeling.GptCheckpoint"/>).</param>
/// <param name="TrainData">Instruction JSONL to train on, Alpaca or chat shape.</param>
/// <param name="ValidationData">Instruction JSONL for the validation loss (early stopping).</param>
/// <param name="OutFolder">Where checkpoints, and the chat tokenizer when one is made, go.</param>
/// <param name="Method">How the model is tuned: <c>full</c> (every weight) or a parameter-efficient method of
/// <see cref="PeftFactory.Names"/> (<c>lora</c>, <c>adapter</c>): the base frozen, only the method's parameters train.</param>
/// <param name="Tokenizer">The base's tokenizer (a registry name or folder); null takes the one the checkpoint names.</param>
/// <param name="Template"><c>chatml</c> (the tokenizer gets <c>&lt;|im_start|&gt;</c> and <c>&lt;|im_end|&gt;</c> as
/// special tokens, and the model new embedding rows, when it lacks them) or <c>markers</c> (plain-text role markers).</param>
/// <param name="BatchSize">Rows per micro-batch: examples padded to the longest, or, with <paramref name="Packing"/>,
/// rows of several examples each.</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="Epochs">Passes over the training examples; sets the step count unless <paramref name="MaxSteps"/> does.</param>
/// <param name="MaxSteps">Optimizer steps; null derives them from <paramref name="Epochs"/>.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="MinLearningRate">Floor of the cosine decay; null is a tenth of the peak.</param>
/// <param name="WarmupSteps">Linear warmup steps.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, on matrices.</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay.</param>
/// <param name="GradClip">Global gradient-norm clip; 0 is off.</param>
/// <param name="EvalEvery">Validation loss every this many steps (and at the last).</param>
/// <param name="EvalBatches">Validation batches per evaluation; null is the whole validation file.</param>
/// <param name="CheckpointEvery">Checkpoint every this many steps (and at the end, on a new best, on cancellation).</param>
/// <param name="KeepLast">Step checkpoints kept besides the best.</param>
/// <param name="EarlyStoppingPatience">Stop after this many evaluations without a new best validation loss; null is off.</param>
/// <param name="Device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for <c>LLMOPS_DEVICE</c> / auto.</param>
/// <param name="Seed">Seeds the data order and dropout.</param>
/// <param name="Precision">fp32 or bf16 passes.</param>
/// <param name="RunName">The run's name; null derives one.</param>
/// <param name="RunStorePath">The SQLite run store; null records nothing.</param>
/// <param name="Resume">Continue from <c>checkpoints/last</c> when the out folder has one.</param>
/// <param name="ResumeFrom">A checkpoint to continue from explicitly.</param>
/// <param name="PeakFlopsPerSecond">The FLOP/s MFU is quoted against; null measures a matmul once.</param>
/// <param name="Packing">Pack short examples back to back into rows of the model's context (trl's <c>packing</c>), each
/// attending only to itself (<see cref="Modeling.PackedSequences"/>): fewer padded positions per step. An epoch is
/// then as many rows as the examples pack into.</param>
/// <param name="Peft">The parameter-efficient method's knobs (rank, alpha, targets, adapter size, ...); null takes
/// <see cref="PeftSettings"/>' defaults. Ignored by <c>full</c>.</param>
public sealed record SftConfig(
    string BaseModel,
    string TrainData,
    string ValidationData,
    string OutFolder,
    string Method = SftConfig.FullMethod,
    string? Tokenizer = null,
    string Template = "chatml",
    int BatchSize = 16,
    int GradientAccumulationSteps = 1,
    double Epochs = 3,
    int? MaxSteps = null,
    double LearningRate = 3e-4,
    double? MinLearningRate = null,
    int WarmupSteps = 20,
    double WeightDecay = 0.0,
    double Beta1 = 0.9,
    double Beta2 = 0.95,
    double GradClip = 1.0,
    int EvalEvery = 50,
    int? EvalBatches = null,
    int CheckpointEvery = 200,
    int KeepLast = 2,
    int? EarlyStoppingPatience = null,
    string? Device = null,
    int Seed = 1337,
    MixedPrecision Precision = MixedPrecision.Auto,
    string? RunName = null,
    string? RunStorePath = null,
    bool Resume = true,
    string? ResumeFrom = null,
    double? PeakFlopsPerSecond = null,
    bool Packing = false,
    PeftSettings? Peft = null)
{
    /// <summary>Full fine-tuning: every weight trains.</summary>
    public const string FullMethod = "full";

    /// <summary>The methods this trainer runs: <c>full</c>, then every parameter-efficient method.</summary>
    public static IReadOnlyList<string> Methods { get; } = [FullMethod, .. PeftFactory.Names];

    /// <summary>The parameter-efficient method <see cref="Method"/> names, or null for full fine-tuning.</summary>
    [JsonIgnore]
    public PeftMethod? PeftMethod => PeftFactory.Parse(Method);

    /// <summary>The PEFT knobs in effect: <see cref="Peft"/>, or the defaults.</summary>
    [JsonIgnore]
    public PeftSettings PeftOrDefault => Peft ?? new PeftSettings();

    /// <summary>The chat templates it can train with.</summary>
    public static IReadOnlyList<string> Templates { get; } = ["chatml", "markers"];

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names each.</exception>
    public SftConfig Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, FormattableString problem)
        {
            if (!ok)
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
        }
        Check(!string.IsNullOrWhiteSpace(BaseModel), $"{nameof(BaseModel)} must name the base checkpoint folder");
        Check(!string.IsNullOrWhiteSpace(TrainData), $"{nameof(TrainData)} must name an instruction JSONL file");
        Check(!string.IsNullOrWhiteSpace(ValidationData), $"{nameof(ValidationData)} must name an instruction JSONL file");
        Check(!string.IsNullOrWhiteSpace(OutFolder), $"{nameof(OutFolder)} must name a folder for checkpoints");
        Check(Methods.Contains(Method), $"{nameof(Method)} '{Method}' is not one of {string.Join(", ", Methods)}");
        Check(!Packing || PeftFactory.VirtualPositions(PeftMethod, PeftOrDefault) == 0,
            $"{nameof(Packing)} cannot be used with {Method}: its virtual tokens go before one sequence, not before each packed example");
        Check(Templates.Contains(Template), $"{nameof(Template)} '{Template}' is not one of {string.Join(", ", Templates)}");
        Check(BatchSize >= 1, $"{nameof(BatchSize)} must be at least 1 (got {BatchSize})");
        Check(GradientAccumulationSteps >= 1, $"{nameof(GradientAccumulationSteps)} must be at least 1 (got {GradientAccumulationSteps})");
        Check(Epochs > 0 && double.IsFinite(Epochs), $"{nameof(Epochs)} must be positive (got {Epochs})");
        Check(MaxSteps is null or >= 1, $"{nameof(MaxSteps)} must be at least 1, or null to follow {nameof(Epochs)} (got {MaxSteps})");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"{nameof(LearningRate)} must be positive (got {LearningRate})");
        Check(MinLearningRate is null || (MinLearningRate >= 0 && MinLearningRate <= LearningRate), $"{nameof(MinLearningRate)} must be in [0, {nameof(LearningRate)}] (got {MinLearningRate})");
        Check(WarmupSteps >= 0, $"{nameof(WarmupSteps)} must not be negative (got {WarmupSteps})");
        Check(WeightDecay >= 0, $"{nameof(WeightDecay)} must not be negative (got {WeightDecay})");
        Check(Beta1 is >= 0 and < 1, $"{nameof(Beta1)} must be in [0, 1) (got {Beta1})");
        Check(Beta2 is >= 0 and < 1, $"{nameof(Beta2)} must be in [0, 1) (got {Beta2})");
        Check(GradClip >= 0, $"{nameof(GradClip)} must not be negative (got {GradClip})");
        Check(EvalEvery >= 1, $"{nameof(EvalEvery)} must be at least 1 (got {EvalEvery})");
        Check(EvalBatches is null or >= 1, $"{nameof(EvalBatches)} must be at least 1, or null for all (got {EvalBatches})");
        Check(CheckpointEvery >= 1, $"{nameof(CheckpointEvery)} must be at least 1 (got {CheckpointEvery})");
        Check(KeepLast >= 1, $"{nameof(KeepLast)} must be at least 1 (got {KeepLast})");
        Check(EarlyStoppingPatience is null or >= 1, $"{nameof(EarlyStoppingPatience)} must be at least 1, or null for off (got {EarlyStoppingPatience})");
        Check(Enum.IsDefined(Precision), $"{nameof(Precision)} '{Precision}' is not Auto, Fp32 or Bf16");
        Check(PeakFlopsPerSecond is null or > 0, $"{nameof(PeakFlopsPerSecond)} must be positive, or null to measure (got {PeakFlopsPerSecond})");
        problems.AddRange(Peft?.Problems() ?? []);
        Check(Peft?.TrainTemplateTokens != true || (Template == "chatml" && PeftMethod is not null),
            $"Peft.{nameof(PeftSettings.TrainTemplateTokens)} needs a PEFT method and the chatml template, whose markers are special tokens (got {Method}, {Template})");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid fine-tuning config: {string.Join("; ", problems)}.");
    }

    /// <summary>Optimizer steps for an epoch of <paramref name="rowsPerEpoch"/> rows (examples, or packed rows):
    /// <see cref="MaxSteps"/>, else <see cref="Epochs"/> passes of <c>BatchSize × GradientAccumulationSteps</c> rows a step.</summary>
    public int StepsFor(int rowsPerEpoch) =>
        MaxSteps ?? Math.Max(1, (int)Math.Ceiling(Epochs * rowsPerEpoch / (BatchSize * (double)GradientAccumulationSteps)));

    /// <summary>The learning-rate schedule for a run of <paramref name="steps"/> steps.</summary>
    public LearningRateSchedule Schedule(int steps) =>
        new(LearningRate, MinLearningRate ?? LearningRate / 10, Math.Min(WarmupSteps, steps), steps);

    /// <summary>The config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads and validates a config file; relative paths in it are relative to the file's folder.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not valid JSON for this record, an unknown setting, or values that cannot
    /// work; the message starts with the file's path.</exception>
    public static SftConfig Load(string path) => ConfigFile.Load<SftConfig>(path, "fine-tuning", Json,
        (c, resolve) => c with { BaseModel = resolve(c.BaseModel)!, TrainData = resolve(c.TrainData)!, ValidationData = resolve(c.ValidationData)!, OutFolder = resolve(c.OutFolder)!, RunStorePath = resolve(c.RunStorePath), ResumeFrom = resolve(c.ResumeFrom) },
        c => c.Validate());
}
