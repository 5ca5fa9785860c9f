using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.FineTuning;
using LlmOps.Core.IO;
using LlmOps.Core.Peft;
using LlmOps.Core.Training;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Every setting of a DPO or IPO run (<see cref="DirectPreferenceOptimizer"/>): the SFT checkpoint the policy starts
/// from (and the frozen reference is), the preference data, the loss, and the shared trainer's knobs. Defaults follow
/// trl's <c>DPOConfig</c> where it has one (β 0.1, sigmoid loss, learning rate 1e-6).
/// </summary>
/// <param name="PolicyModel">The SFT checkpoint folder (a full <see cref="Modeling.GptCheckpoint"/>): the policy's start
/// and the reference. Its tokenizer and chat template are the ones the pairs are encoded with.</param>
/// <param name="TrainData">Preference JSONL to train on (<see cref="PreferenceJsonl"/>, either shape).</param>
/// <param name="ValidationData">Preference JSONL for the validation loss and reward metrics.</param>
/// <param name="OutFolder">Where checkpoints go.</param>
/// <param name="Loss"><c>sigmoid</c> (DPO) or <c>ipo</c>.</param>
/// <param name="Beta">β, the implicit KL strength: larger keeps the policy nearer the reference.</param>
/// <param name="Method"><c>full</c> or a PEFT method of <see cref="PeftFactory.Names"/> applied to the policy; with
/// LoRA the reference is the policy with its adapters disabled (as trl does), with another method a separate copy.</param>
/// <param name="BatchSize">Pairs per micro-batch (each a chosen and a rejected row).</param>
/// <param name="GradientAccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="Epochs">Passes over the training pairs; sets the step count unless <paramref name="MaxSteps"/> does.</param>
/// <param name="MaxSteps">Optimizer steps; null derives them from <paramref name="Epochs"/>.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="MinLearningRate">Floor of the cosine decay; null is a tenth of the peak.</param>
/// <param name="WarmupSteps">Linear warmup steps.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, on matrices.</param>
/// <param name="GradClip">Global gradient-norm clip; 0 is off.</param>
/// <param name="EvalEvery">Validation every this many steps (and at the last).</param>
/// <param name="EvalBatches">Validation batches per evaluation; null is the whole validation file.</param>
/// <param name="CheckpointEvery">Checkpoint every this many steps (and at the end, on a new best, on cancellation).</param>
/// <param name="KeepLast">Step checkpoints kept besides the best.</param>
/// <param name="Device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for <c>LLMOPS_DEVICE</c> / auto.</param>
/// <param name="Seed">Seeds the data order and dropout.</param>
/// <param name="Precision">fp32 or bf16 passes (PEFT methods train in fp32).</param>
/// <param name="RunName">The run's name; null derives one.</param>
/// <param name="RunStorePath">The SQLite run store; null records nothing.</param>
/// <param name="Resume">Continue from <c>checkpoints/last</c> when the out folder has one.</param>
/// <param name="ResumeFrom">A checkpoint to continue from explicitly.</param>
/// <param name="PeakFlopsPerSecond">The FLOP/s MFU is quoted against; null measures a matmul once.</param>
/// <param name="Peft">The PEFT method's knobs; null takes <see cref="PeftSettings"/>' defaults. Ignored by <c>full</c>.</param>
public sealed record DpoConfig(
    string PolicyModel,
    string TrainData,
    string ValidationData,
    string OutFolder,
    string Loss = "sigmoid",
    double Beta = 0.1,
    string Method = SftConfig.FullMethod,
    int BatchSize = 8,
    int GradientAccumulationSteps = 1,
    double Epochs = 1,
    int? MaxSteps = null,
    double LearningRate = 1e-6,
    double? MinLearningRate = null,
    int WarmupSteps = 0,
    double WeightDecay = 0.0,
    double GradClip = 1.0,
    int EvalEvery = 50,
    int? EvalBatches = null,
    int CheckpointEvery = 200,
    int KeepLast = 2,
    string? Device = null,
    int Seed = 1337,
    MixedPrecision Precision = MixedPrecision.Auto,
    string? RunName = null,
    string? RunStorePath = null,
    bool Resume = true,
    string? ResumeFrom = null,
    double? PeakFlopsPerSecond = null,
    PeftSettings? Peft = null)
{
    /// <summary>The losses it trains with, by their trl names.</summary>
    public static IReadOnlyList<string> Losses { get; } = ["sigmoid", "ipo"];

    /// <summary>The loss <see cref="Loss"/> names.</summary>
    [JsonIgnore]
    public PreferenceLossType LossType => Loss == "ipo" ? PreferenceLossType.Ipo : PreferenceLossType.Sigmoid;

    /// <summary>The parameter-efficient method <see cref="Method"/> names, or null for full weights.</summary>
    [JsonIgnore]
    public PeftMethod? PeftMethod => PeftFactory.Parse(Method);

    /// <summary>The PEFT knobs in effect: <see cref="Peft"/>, or the defaults.</summary>
    [JsonIgnore]
    public PeftSettings PeftOrDefault => Peft ?? new PeftSettings();

    /// <summary>How the preference trainers' configs read and write JSON: case-insensitive, comments and trailing
    /// commas allowed, unknown settings refused.</summary>
    internal static readonly JsonSerializerOptions Json = new()
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
    public DpoConfig Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, FormattableString problem)
        {
            if (!ok)
                problems.Add(problem.ToString(CultureInfo.InvariantCulture));
        }
        Check(!string.IsNullOrWhiteSpace(PolicyModel), $"{nameof(PolicyModel)} must name the SFT checkpoint folder");
        Check(!string.IsNullOrWhiteSpace(TrainData), $"{nameof(TrainData)} must name a preference JSONL file");
        Check(!string.IsNullOrWhiteSpace(ValidationData), $"{nameof(ValidationData)} must name a preference JSONL file");
        Check(!string.IsNullOrWhiteSpace(OutFolder), $"{nameof(OutFolder)} must name a folder for checkpoints");
        Check(Losses.Contains(Loss), $"{nameof(Loss)} '{Loss}' is not one of {string.Join(", ", Losses)}");
        Check(Beta > 0 && double.IsFinite(Beta), $"{nameof(Beta)} must be positive (got {Beta})");
        Check(SftConfig.Methods.Contains(Method), $"{nameof(Method)} '{Method}' is not one of {string.Join(", ", SftConfig.Methods)}");
        Check(BatchSize >= 1, $"{nameof(BatchSize)} must be at least 1 (got {BatchSize})");
        Check(GradientAccumulationSteps >= 1, $"{nameof(GradientAccumulationSteps)} must be at least 1 (got {GradientAccumulationSteps})");
        Check(Epochs > 0 && double.IsFinite(Epochs), $"{nameof(Epochs)} must be positive (got {Epochs})");
        Check(MaxSteps is null or >= 1, $"{nameof(MaxSteps)} must be at least 1, or null to follow {nameof(Epochs)} (got {MaxSteps})");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"{nameof(LearningRate)} must be positive (got {LearningRate})");
        Check(MinLearningRate is null || (MinLearningRate >= 0 && MinLearningRate <= LearningRate), $"{nameof(MinLearningRate)} must be in [0, {nameof(LearningRate)}] (got {MinLearningRate})");
        Check(WarmupSteps >= 0, $"{nameof(WarmupSteps)} must not be negative (got {WarmupSteps})");
        Check(WeightDecay >= 0, $"{nameof(WeightDecay)} must not be negative (got {WeightDecay})");
        Check(GradClip >= 0, $"{nameof(GradClip)} must not be negative (got {GradClip})");
        Check(EvalEvery >= 1, $"{nameof(EvalEvery)} must be at least 1 (got {EvalEvery})");
        Check(EvalBatches is null or >= 1, $"{nameof(EvalBatches)} must be at least 1, or null for all (got {EvalBatches})");
        Check(CheckpointEvery >= 1, $"{nameof(CheckpointEvery)} must be at least 1 (got {CheckpointEvery})");
        Check(KeepLast >= 1, $"{nameof(KeepLast)} must be at least 1 (got {KeepLast})");
        Check(Enum.IsDefined(Precision), $"{nameof(Precision)} '{Precision}' is not Auto, Fp32 or Bf16");
        Check(PeakFlopsPerSecond is null or > 0, $"{nameof(PeakFlopsPerSecond)} must be positive, or null to measure (got {PeakFlopsPerSecond})");
        problems.AddRange(Peft?.Problems() ?? []);
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid DPO config: {string.Join("; ", problems)}.");
    }

    /// <summary>Optimizer steps for <paramref name="pairs"/> training pairs: <see cref="MaxSteps"/>, else
    /// <see cref="Epochs"/> passes of <c>BatchSize × GradientAccumulationSteps</c> pairs a step.</summary>
    public int StepsFor(int pairs) =>
        MaxSteps ?? Math.Max(1, (int)Math.Ceiling(Epochs * pairs / (BatchSize * (double)GradientAccumulationSteps)));

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
    public static DpoConfig Load(string path) => ConfigFile.Load<DpoConfig>(path, "DPO", Json,
        (c, resolve) => c with { PolicyModel = resolve(c.PolicyModel)!, TrainData = resolve(c.TrainData)!, ValidationData = resolve(c.ValidationData)!, OutFolder = resolve(c.OutFolder)!, RunStorePath = resolve(c.RunStorePath), ResumeFrom = resolve(c.ResumeFrom) },
        c => c.Validate());
}
