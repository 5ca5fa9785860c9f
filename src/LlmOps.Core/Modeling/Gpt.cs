using LlmOps.Core.Platform;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>
/// A GPT-2-style decoder, read top to bottom like nanoGPT's <c>model.py</c>: token (and learned position)
/// embeddings, <see cref="GptConfig.Layers"/> pre-LayerNorm <see cref="Block"/>s, a final LayerNorm and the LM head;
/// then the model's own helpers: virtual tokens (the prompt-learning hook), initialisation, parameter count, loss, FLOPs
/// and MFU, generation, embedding resize, and a summary. Maps token ids [batch, time] to logits [batch, time, vocabulary].
/// </summary>
/// <remarks>State-dict names follow nanoGPT/GPT-2 without the <c>transformer.</c> prefix (<c>wte</c>, <c>wpe</c>,
/// <c>h.0.attn.c_attn.weight</c>, <c>ln_f</c>, <c>lm_head</c>), so checkpoints and papers line up. With tied
/// embeddings there is no <c>lm_head</c> module at all: the head is <c>wte.weight</c> itself, so the matrix exists,
/// trains and is saved exactly once.</remarks>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    /// <summary>GPT-2's initialisation standard deviation for weights.</summary>
    public const double InitStd = 0.02;

    [ComponentName(Name = "wte")] readonly Embedding tokenEmbedding;
    [ComponentName(Name = "wpe")] readonly Embedding? positionEmbedding;
    [ComponentName(Name = "drop")] readonly Dropout embeddingDropout;
    [ComponentName(Name = "h")] readonly ModuleList<Block> blocks;
    [ComponentName(Name = "ln_f")] readonly LayerNorm finalNorm;
    [ComponentName(Name = "lm_head")] readonly Linear? head;
    VirtualTokens? virtualTokens; // registered by hand as "prompt_encoder" while attached (AttachVirtualTokens)
    TrainableTokens? trainableTokens; // registered by hand as "trainable_tokens" while attached (AttachTrainableTokens)

    /// <summary>Builds and initialises a model for <paramref name="config"/> on the CPU (move it with <c>to(device)</c>).</summary>
    /// <param name="config">The shape; validated here.</param>
    /// <param name="seed">Seeds a private generator for the initial weights, so the same seed gives the same model
    /// whatever else draws from libtorch's global generator; null draws from the global one (see <see cref="Seeding"/>).</param>
    public Gpt(GptConfig config, int? seed = null) : base(nameof(Gpt))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        TorchRuntime.EnsureInitialized();
        tokenEmbedding = Layers.Embedding(config.VocabSize, config.EmbeddingSize);
        positionEmbedding = config.Positions == PositionEncoding.Learned ? Layers.Embedding(config.BlockSize, config.EmbeddingSize) : null;
        embeddingDropout = nn.Dropout(config.Dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new Block(config, i)).ToArray());
        finalNorm = nn.LayerNorm(config.EmbeddingSize, bias: config.Bias);
        head = config.TiedEmbeddings ? null : Layers.Linear(config.EmbeddingSize, config.VocabSize, bias: false);
        RegisterComponents();
        using var generator = seed is { } s ? new Generator((ulong)s) : null;
        Initialize(generator);
    }

    /// <summary>The shape this model was built with (its vocabulary follows <see cref="ResizeTokenEmbeddings"/>).</summary>
    public GptConfig Config { get; private set; }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => tokenEmbedding.weight!.device;

    /// <summary>Logits for every position of <paramref name="input"/> (token ids [batch, time], time ≤ block size).</summary>
    public override Tensor forward(Tensor input) => Logits(input);

    /// <summary>
    /// The forward pass with its inference options: with <paramref name="cache"/>, <paramref name="ids"/> are the
    /// tokens after the cached ones (positions continue from <see cref="KvCache.Length"/>) and the pass runs without
    /// gradients; <paramref name="lastPositionOnly"/> applies the head to the last position only, as generation needs.
    /// </summary>
    /// <remarks>With <see cref="VirtualTokens"/> attached, a pass that starts a sequence (no cache, or an empty one)
    /// puts them first: as inputs at positions 0..N-1 whose logits are dropped, or as every layer's first N keys and
    /// values with the real tokens at positions N.. (Hugging Face GPT-2 with <c>past_key_values</c>). A cached pass
    /// writes them into the cache at prefill, so later steps see them like any cached token.</remarks>
    public Tensor Logits(Tensor ids, KvCache? cache = null, bool lastPositionOnly = false) => Logits(ids, cache, lastPositionOnly, null);

    /// <summary>The final hidden states [batch, time, embedding] of <paramref name="ids"/>: the last block's output
    /// after the final norm, before the head. What a head of another kind (a reward model's scalar score) reads.</summary>
    public Tensor HiddenStates(Tensor ids) => Logits(ids, null, false, null, hiddenOnly: true);

    /// <summary>Logits for packed rows: several examples per row (<paramref name="packed"/>), each seeing only its own
    /// earlier tokens, its positions restarting at 0; the same logits each example gets alone. Training passes only:
    /// no cache, no virtual tokens.</summary>
    /// <exception cref="ArgumentException">The layout's shape differs from the ids', or the model has virtual tokens.</exception>
    public Tensor Logits(Tensor ids, PackedSequences packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        return Logits(ids, null, false, packed);
    }

    Tensor Logits(Tensor ids, KvCache? cache, bool lastPositionOnly, PackedSequences? packed, bool hiddenOnly = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 2)
            throw new ArgumentException($"Token ids must be [batch, time]; got [{string.Join(", ", ids.shape)}].", nameof(ids));
        long batch = ids.shape[0], time = ids.shape[1];
        if (packed is not null && (!packed.Segments.shape.SequenceEqual(ids.shape) || !packed.Positions.shape.SequenceEqual(ids.shape)))
            throw new ArgumentException($"The packed layout is [{string.Join(", ", packed.Segments.shape)}] but the ids are [{string.Join(", ", ids.shape)}].", nameof(packed));
        if (packed is not null && virtualTokens is not null)
            throw new ArgumentException("Packed rows cannot take virtual tokens (prompt learning puts them before one sequence); train unpacked.", nameof(packed));
        int offset = cache?.Length ?? 0;
        var virtualInputs = offset == 0 ? virtualTokens : null;
        int added = virtualInputs?.Count ?? 0;
        if (offset + added + time > Config.BlockSize)
            throw new ArgumentException(
                $"Cannot forward {time} token(s) after {offset} cached and {added} virtual: the model's block size is {Config.BlockSize}.", nameof(ids));
        using var noGrad = cache is null ? null : no_grad();

        // With trainable tokens the embedding is the base's with their rows swapped in, for the input and the tied head.
        var embedding = trainableTokens?.Apply(tokenEmbedding.weight!);
        var x = embedding is null ? tokenEmbedding.call(ids) : embedding.index_select(0, ids.reshape(-1)).view(batch, time, -1);
        List<(Tensor Keys, Tensor Values)>? prefixes = null;
        int prompt = 0;
        if (virtualInputs is not null)
        {
            var rows = virtualInputs.Rows();
            if (virtualInputs.Placement == VirtualTokenPlacement.Input)
            {
                x = cat([rows.unsqueeze(0).expand(batch, -1, -1), x], 1);
                prompt = virtualInputs.Count;
            }
            else
            {
                prefixes = PrefixKeysValues(rows, batch);
                offset = virtualInputs.Count;
                if (cache is not null)
                {
                    for (int layer = 0; layer < prefixes.Count; layer++)
                        cache.Append(layer, prefixes[layer].Keys, prefixes[layer].Values);
                    cache.Advance(offset);
                    prefixes = null; // the blocks read them from the cache now
                }
            }
        }
        long length = x.shape[1];
        if (positionEmbedding is not null)
            x = x + positionEmbedding.call(packed?.Positions ?? arange(offset, offset + length, dtype: ScalarType.Int64, device: ids.device));
        x = embeddingDropout.call(x);
        (Tensor Mask, Tensor Positions)? packedRows = packed is null ? null : (packed.AttentionMask(), packed.Positions);
        for (int layer = 0; layer < blocks.Count; layer++)
            x = blocks[layer].Run(x, cache, prefixes?[layer], packedRows);
        if (prompt > 0)
            x = x.narrow(1, prompt, time); // the virtual inputs have no next token to predict
        x = finalNorm.call(x);
        if (lastPositionOnly)
            x = x.narrow(1, time - 1, 1);
        cache?.Advance((int)length);
        if (hiddenOnly)
            return x;
        return head is null ? nn.functional.linear(x, embedding ?? tokenEmbedding.weight!) : head.call(x);
    }

    /// <summary>peft's <c>get_prompt</c> for prefix tuning: rows [N, layers·2·C] viewed as [N, layers·2, heads, head size]
    /// and split per layer into keys and values [batch, heads, N, head size].</summary>
    List<(Tensor Keys, Tensor Values)> PrefixKeysValues(Tensor rows, long batch)
    {
        var perLayer = rows.view(rows.shape[0], Config.Layers * 2, Config.Heads, Config.HeadSize).permute(1, 2, 0, 3);
        return [.. Enumerable.Range(0, Config.Layers).Select(layer =>
            (perLayer[2 * layer].unsqueeze(0).expand(batch, -1, -1, -1), perLayer[2 * layer + 1].unsqueeze(0).expand(batch, -1, -1, -1)))];
    }

    // ---- virtual tokens (prompt learning) --------------------------------------------------------------------

    /// <summary>The virtual tokens every forward pass consults, or null for the bare model.</summary>
    public VirtualTokens? VirtualTokens => virtualTokens;

    /// <summary>The tokens of a sequence the block has room for: the block size less the virtual tokens' places.</summary>
    public int ContextSize => Config.BlockSize - (virtualTokens?.Count ?? 0);

    /// <summary>Attaches <paramref name="tokens"/> as the child <c>prompt_encoder</c> (on the model's device, dtype
    /// unchanged: move the model afterwards if needed). Build the optimizer afterwards: the parameters changed.</summary>
    /// <exception cref="InvalidOperationException">Virtual tokens are already attached.</exception>
    /// <exception cref="ArgumentException">They leave no room for a real token in the block, or their width does not
    /// fit this model's shape.</exception>
    public void AttachVirtualTokens(VirtualTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (virtualTokens is not null)
            throw new InvalidOperationException("This model already has virtual tokens attached: detach them first (one prompt-learning method at a time).");
        if (tokens.Count >= Config.BlockSize)
            throw new ArgumentException(
                $"{tokens.Count} virtual tokens leave no room in the block of {Config.BlockSize}: N + T must be at most the block size.", nameof(tokens));
        long width = tokens.Placement == VirtualTokenPlacement.Input ? Config.EmbeddingSize : Config.Layers * 2L * Config.EmbeddingSize;
        using (var scope = NewDisposeScope()) // collects what Rows() computes, never the table it may return itself
        using (var noGrad = no_grad())
        {
            var rows = tokens.Rows();
            if (rows.dim() != 2 || rows.shape[0] != tokens.Count || rows.shape[1] != width)
                throw new ArgumentException(
                    $"{tokens.Placement} virtual tokens must make rows [{tokens.Count}, {width}] for this model; got [{string.Join(", ", rows.shape)}].", nameof(tokens));
        }
        register_module("prompt_encoder", tokens);
        virtualTokens = tokens;
    }

    /// <summary>Detaches the virtual tokens, leaving the bare model (its forward pass exactly the base's again).</summary>
    /// <returns>The tokens that were attached, or null.</returns>
    public VirtualTokens? DetachVirtualTokens()
    {
        var detached = virtualTokens;
        if (detached is not null)
            register_module("prompt_encoder", null!); // TorchSharp removes a child when registered as null
        virtualTokens = null;
        return detached;
    }

    /// <summary>The embedding rows that train on their own (peft's trainable tokens), or null.</summary>
    public TrainableTokens? TrainableTokens => trainableTokens;

    /// <summary>Attaches <paramref name="tokens"/> as the child <c>trainable_tokens</c>: from now on their rows replace
    /// the embedding's (and the tied head's). Build the optimizer afterwards: the parameters changed.</summary>
    /// <exception cref="InvalidOperationException">Trainable tokens are already attached.</exception>
    /// <exception cref="ArgumentException">Their rows do not have this model's width or an id is outside its vocabulary.</exception>
    public void AttachTrainableTokens(TrainableTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (trainableTokens is not null)
            throw new InvalidOperationException("This model already has trainable tokens attached: detach them first.");
        if (tokens.Rows.shape[1] != Config.EmbeddingSize || tokens.TokenIds.Any(id => id >= Config.VocabSize))
            throw new ArgumentException(
                $"Trainable tokens [{string.Join(", ", tokens.Rows.shape)}] for ids {string.Join(", ", tokens.TokenIds)} do not fit a model of width {Config.EmbeddingSize} and vocabulary {Config.VocabSize}.", nameof(tokens));
        register_module("trainable_tokens", tokens);
        trainableTokens = tokens;
    }

    /// <summary>Detaches the trainable tokens: the forward pass is the base's again.</summary>
    /// <returns>The tokens that were attached, or null.</returns>
    public TrainableTokens? DetachTrainableTokens()
    {
        var detached = trainableTokens;
        if (detached is not null)
            register_module("trainable_tokens", null!);
        trainableTokens = null;
        return detached;
    }

    /// <summary>
    /// Every layer's attention weights for one forward pass of <paramref name="ids"/> ([batch, time], positions from 0)
    /// in eval mode and without gradients: a probe for looking inside, computed the explicit way, softmax(QKᵀ/√d + mask)·V,
    /// because the fused kernel the forward pass uses never materialises the weights. Each probe says how far its
    /// explicit output is from the fused one. The caller disposes the probes.
    /// </summary>
    /// <returns>One <see cref="AttentionProbe"/> per block, in order.</returns>
    public IReadOnlyList<AttentionProbe> ProbeAttention(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 2)
            throw new ArgumentException($"Token ids must be [batch, time]; got [{string.Join(", ", ids.shape)}].", nameof(ids));
        long time = ids.shape[1];
        if (time > Config.BlockSize)
            throw new ArgumentException($"Cannot probe {time} tokens: the model's block size is {Config.BlockSize}.", nameof(ids));
        if (virtualTokens is not null)
            throw new InvalidOperationException(
                "ProbeAttention shows the bare model's attention; this model has virtual tokens attached (a prompt-learning method): remove the method first.");
        bool wasTraining = training;
        eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tokenEmbedding.call(ids);
            if (positionEmbedding is not null)
                x = x + positionEmbedding.call(arange(0, time, dtype: ScalarType.Int64, device: ids.device));
            var probes = new List<AttentionProbe>(blocks.Count);
            foreach (var block in blocks)
            {
                var probe = block.ProbeAttention(x);
                probes.Add(probe with
                {
                    Mask = probe.Mask.MoveToOuterDisposeScope(),
                    Weights = probe.Weights.MoveToOuterDisposeScope(),
                    Output = probe.Output.MoveToOuterDisposeScope(),
                });
                x = block.Run(x, null, null, null);
            }
            return probes;
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>An empty KV cache sized for this model, for <see cref="Logits(Tensor, KvCache?, bool)"/>.</summary>
    public KvCache NewKvCache() => new(Config.Layers, Config.BlockSize);

    // ---- initialisation --------------------------------------------------------------------------------------

    /// <summary>GPT-2's scheme, by module type as nanoGPT's <c>_init_weights</c>: linear and embedding weights N(0, 0.02),
    /// biases 0, LayerNorms 1/0 (as built); and each layer's projection that writes into the residual stream
    /// (<see cref="ILinearHost.ResidualProjection"/>) N(0, 0.02/√(2·layers)), since each block adds two of them to the
    /// stream and the variance would otherwise grow with depth.</summary>
    void Initialize(Generator? generator)
    {
        using var noGrad = no_grad();
        double residualStd = InitStd / Math.Sqrt(2.0 * Config.Layers);
        var residual = named_modules().Select(m => m.module).OfType<ILinearHost>()
            .Select(host => host.Projections.Single(p => p.Name == host.ResidualProjection).Layer)
            .ToHashSet(ReferenceEqualityComparer.Instance);
        // Parameters in named_parameters order (the order the weights have always been drawn in), each judged by the
        // type of the module that owns it.
        var owners = named_modules().SelectMany(m => m.module.named_parameters(recurse: false).Select(p => (p.parameter, m.module)))
            .ToDictionary(p => (object)p.parameter, p => p.module, ReferenceEqualityComparer.Instance);
        foreach (var (_, parameter) in named_parameters())
        {
            switch (owners[parameter])
            {
                case Linear linear when ReferenceEquals(parameter, linear.bias):
                    nn.init.zeros_(parameter);
                    break;
                case Linear linear:
                    parameter.normal_(0, residual.Contains(linear) ? residualStd : InitStd, generator); // nn.init.normal_ ignores its generator in TorchSharp 0.107
                    break;
                case Embedding:
                    parameter.normal_(0, InitStd, generator);
                    break;
            }
        }
    }

    // ---- swappable projections -------------------------------------------------------------------------------

    /// <summary>Every swappable projection by its full state-dict name (<c>h.0.attn.c_attn</c>, <c>h.0.mlp.c_fc</c>,
    /// ...), as it is now: what LoRA's target modules name.</summary>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Layer)> Projections() =>
        [.. named_modules().Where(m => m.module is ILinearHost)
            .SelectMany(m => ((ILinearHost)m.module).Projections.Select(p => ($"{m.name}.{p.Name}", p.Layer)))];

    /// <summary>Replaces each projection that <paramref name="predicate"/> picks (by full name and current module) with
    /// what <paramref name="factory"/> makes of it, as peft's target modules do: a LoRA wrapper around the linear, an
    /// adapter, a quantized linear. Build the optimizer afterwards: the parameters changed.</summary>
    /// <returns>The full names of the projections replaced, in model order.</returns>
    public IReadOnlyList<string> ReplaceLinear(Func<string, nn.Module<Tensor, Tensor>, bool> predicate,
        Func<string, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(factory);
        var chosen = named_modules().Where(m => m.module is ILinearHost)
            .SelectMany(m => ((ILinearHost)m.module).Projections.Select(p => (Host: (ILinearHost)m.module, Full: $"{m.name}.{p.Name}", p.Name, p.Layer)))
            .Where(p => predicate(p.Full, p.Layer))
            .ToList(); // collected first: replacing while walking the module tree would change it under the walk
        foreach (var (host, full, name, layer) in chosen)
            host.Replace(name, factory(full, layer));
        return [.. chosen.Select(p => p.Full)];
    }

    // ---- size, loss, FLOPs -----------------------------------------------------------------------------------

    /// <summary>Parameters, counted once even when tied.</summary>
    /// <param name="excludeEmbeddings">Leave out the lookup tables that do no matmul work: the position embeddings,
    /// and the token embeddings unless they double as the head (nanoGPT's <c>non_embedding</c>; Kaplan et al.'s N).</param>
    public long ParameterCount(bool excludeEmbeddings = false)
    {
        long total = parameters().Sum(p => p.numel());
        if (!excludeEmbeddings)
            return total;
        if (positionEmbedding is not null)
            total -= positionEmbedding.weight!.numel();
        if (head is not null)
            total -= tokenEmbedding.weight!.numel();
        return total;
    }

    /// <summary>Mean cross entropy of <paramref name="logits"/> [batch, time, vocabulary] against the next-token
    /// <paramref name="targets"/> [batch, time]; targets of -1 are ignored (padding), as in nanoGPT.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), ignore_index: -1);
    }

    /// <summary>The language-modelling loss of a batch of sequences: predicts tokens 1..T from 0..T-1 (the targets
    /// are the input shifted left by one), for callers holding whole sequences rather than (x, y) pairs.</summary>
    public Tensor NextTokenLoss(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long time = ids.shape[1];
        if (time < 2)
            throw new ArgumentException("Next-token loss needs sequences of at least two tokens.", nameof(ids));
        using var inputs = ids.narrow(1, 0, time - 1);
        using var targets = ids.narrow(1, 1, time - 1);
        using var logits = call(inputs);
        return CrossEntropy(logits, targets);
    }

    /// <summary>Training FLOPs per token (forward and backward), as nanoGPT's <c>estimate_mfu</c> and the PaLM paper
    /// count them: 6N for the weight matmuls plus 12·L·H·Q·T for attention scores and mixing.</summary>
    /// <param name="sequenceLength">Tokens per sequence (T); the block size by default.</param>
    public double EstimateFlopsPerToken(int? sequenceLength = null)
    {
        double n = ParameterCount(excludeEmbeddings: true);
        double t = sequenceLength ?? Config.BlockSize;
        return 6 * n + 12.0 * Config.Layers * Config.Heads * Config.HeadSize * t;
    }

    /// <summary>Model FLOPs utilisation: achieved training FLOP/s over a peak, e.g. a measured matmul rate
    /// (<see cref="MatmulMeasurement.GFlops"/> × 1e9) or a datasheet figure (312e12 for A100 bf16).</summary>
    /// <param name="tokensPerSecond">Training throughput in tokens per second.</param>
    /// <param name="peakFlopsPerSecond">The ceiling to compare against, in FLOP/s.</param>
    /// <param name="sequenceLength">Tokens per sequence; the block size by default.</param>
    public double EstimateMfu(double tokensPerSecond, double peakFlopsPerSecond, int? sequenceLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peakFlopsPerSecond);
        return EstimateFlopsPerToken(sequenceLength) * tokensPerSecond / peakFlopsPerSecond;
    }

    // ---- generation ------------------------------------------------------------------------------------------

    /// <summary>
    /// Continues <paramref name="prompt"/>, yielding each new token as soon as it is chosen (and passing it to
    /// <paramref name="onToken"/>), so a notebook can stream into a display handle. Batch of one.
    /// </summary>
    /// <remarks>
    /// <para>With <see cref="GenerationConfig.UseKvCache"/> the prompt is prefilled once and each step feeds only the
    /// new token. The model never attends over more than <see cref="GptConfig.BlockSize"/> tokens: once the context is
    /// full, the window slides (like nanoGPT's crop to the last block), which for both position kinds means a fresh
    /// prefill of the last block each step. Learned positions cannot go past the block, and re-prefilling keeps the
    /// cached and uncached paths giving the same tokens; generation past the block is therefore no faster with the
    /// cache. Stopping at the block instead is <c>MaxNewTokens = BlockSize - prompt length</c>.</para>
    /// <para>Stop sequences are not yielded: tokens that might begin one are held back until they cannot.</para>
    /// <para>The model is in eval mode while generating and returns to its previous mode when the enumeration ends.
    /// Every step runs in its own dispose scope and no-grad guard, closed before the token is yielded, so the caller's
    /// own tensors between steps are never caught in them.</para>
    /// </remarks>
    public IEnumerable<int> Generate(IReadOnlyList<int> prompt, GenerationConfig config, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (prompt.Count == 0)
            throw new ArgumentException("Generation needs a prompt of at least one token (a start-of-text token, for one).", nameof(prompt));
        foreach (int token in prompt)
        {
            if (token < 0 || token >= Config.VocabSize)
                throw new ArgumentException($"Prompt token {token} is outside the vocabulary (0..{Config.VocabSize - 1}).", nameof(prompt));
        }
        return GenerateTokens(prompt, config, onToken);
    }

    IEnumerable<int> GenerateTokens(IReadOnlyList<int> prompt, GenerationConfig config, Action<int>? onToken)
    {
        bool wasTraining = training;
        eval();
        using var generator = config.Seed is { } seed ? new Generator((ulong)seed) : null;
        using var cache = config.UseKvCache ? NewKvCache() : null;
        var sequence = new List<int>(prompt);
        var stops = new StopTokenMatcher(config.StopTokenSequences);
        var device = Device;
        try
        {
            for (int step = 0; step < config.MaxNewTokens; step++)
            {
                int next;
                using (var scope = NewDisposeScope())
                using (var noGrad = no_grad())
                {
                    Tensor logits;
                    if (cache is null)
                    {
                        logits = Logits(Window(sequence, device), lastPositionOnly: true);
                    }
                    else if (cache.Length > 0 && cache.Length < Config.BlockSize)
                    {
                        logits = Logits(tensor(new long[] { sequence[^1] }, device: device).unsqueeze(0), cache, lastPositionOnly: true);
                    }
                    else
                    {
                        cache.Reset();
                        logits = Logits(Window(sequence, device), cache, lastPositionOnly: true);
                    }
                    next = TokenSampler.Next(logits.reshape(-1), sequence, config, generator);
                }
                sequence.Add(next);
                var (release, stop) = stops.Add(next);
                foreach (int token in release)
                {
                    onToken?.Invoke(token);
                    yield return token;
                }
                if (stop)
                    yield break;
            }
            foreach (int token in stops.Flush())
            {
                onToken?.Invoke(token);
                yield return token;
            }
        }
        finally
        {
            train(wasTraining);
        }
    }

    Tensor Window(List<int> sequence, Device device)
    {
        int start = Math.Max(0, sequence.Count - ContextSize);
        var ids = new long[sequence.Count - start];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = sequence[start + i];
        return tensor(ids, device: device).unsqueeze(0);
    }

    // ---- vocabulary expansion --------------------------------------------------------------------------------

    /// <summary>
    /// Grows (or shrinks) the vocabulary, e.g. after adding special tokens to the tokenizer. Existing rows are kept,
    /// so the logits of old tokens for old inputs do not change; new rows start at the mean of the old ones, which
    /// keeps the new tokens' initial probabilities near the average instead of arbitrary (Hewitt, 2021). Tied
    /// models stay tied (the head is the embedding). Build the optimizer after resizing: the parameters are new.
    /// </summary>
    public void ResizeTokenEmbeddings(int newVocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(newVocabSize, 1);
        if (newVocabSize == Config.VocabSize)
            return;
        using (var noGrad = no_grad())
        {
            tokenEmbedding.weight = Resized(tokenEmbedding.weight!, newVocabSize);
            if (head is not null)
                head.weight = Resized(head.weight, newVocabSize);
        }
        Config = Config with { VocabSize = newVocabSize };
    }

    static Parameter Resized(Tensor old, int rows)
    {
        long oldRows = old.shape[0];
        long kept = Math.Min(oldRows, rows);
        var fresh = empty([rows, old.shape[1]], dtype: old.dtype, device: old.device);
        using (var target = fresh.narrow(0, 0, kept))
        using (var source = old.narrow(0, 0, kept))
            target.copy_(source);
        if (rows > oldRows)
        {
            using var mean = old.mean([0L], keepdim: true);
            using var target = fresh.narrow(0, oldRows, rows - oldRows);
            target.copy_(mean.expand(rows - oldRows, -1));
        }
        return new Parameter(fresh.DetachFromDisposeScope(), requires_grad: true);
    }

    // ---- summary ---------------------------------------------------------------------------------------------

    /// <summary>The architecture as rows (name, shape, parameters) with totals: what a notebook shows before training.</summary>
    public GptSummary Summary()
    {
        var rows = new List<GptSummaryRow>();
        foreach (var (name, parameter) in named_parameters())
            rows.Add(new GptSummaryRow(name, parameter.shape, parameter.numel(), null));
        if (head is null)
            rows.Add(new GptSummaryRow("lm_head.weight", [Config.VocabSize, Config.EmbeddingSize], 0, "tied to wte.weight"));
        return new GptSummary(Config, rows, ParameterCount(), ParameterCount(excludeEmbeddings: true), EstimateFlopsPerToken());
    }
}
