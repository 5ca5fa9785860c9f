using System.Globalization;
using LlmOps.Bench;

// Numbers print the same on every machine (decimal points, no thousands separators of the local culture).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// `LlmOps.Bench <benchmark> [--option value ...]`; each benchmark parses its own options.
string usage = "usage: LlmOps.Bench dedup [--sample N] [--seed N] [--threads N] [--dataset NAME]\n" +
               "       LlmOps.Bench shards [--dataset NAME] [--threads N] [--repeat N]\n" +
               "       LlmOps.Bench bpe [--vocab 1024,8192,32768] [--repeat N] [--dataset NAME]\n" +
               "       LlmOps.Bench tokenizer [--repeat N] [--threads N] [--encodings o200k_base,cl100k_base] [--dataset NAME] [--peer bench/tokenizer/peer.js]\n" +
               "       LlmOps.Bench pretrain [--configs baby,small] [--baby-steps N] [--small-steps N] [--baby-rounds N] [--small-rounds N]\n" +
               "                             [--precisions fp32,bf16] [--peer-env tuned|default] [--device cpu|cuda] [--dataset NAME]\n" +
               "       LlmOps.Bench generate [--tokens N] [--repeat N]\n" +
               "       LlmOps.Bench eval [--items N] [--shots 0,2] [--batch 8,32] [--configs baby,small] [--repeat N]\n" +
               "       LlmOps.Bench peft [--configs baby,small] [--baby-steps N] [--small-steps N] [--rounds N] [--rank N] [--targets c_attn,c_proj,c_fc]\n" +
               "                         [--methods full,lora,adapter,prompt,ptuning,prefix] [--virtual-tokens N]";
if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}
try
{
    var options = BenchOptions.Parse(args[1..]);
    return args[0] switch
    {
        "dedup" => await DedupBenchmark.RunAsync(options),
        "shards" => await ShardBenchmark.RunAsync(options),
        "tokenizer" => await TokenizerBenchmark.RunAsync(options),
        "bpe" => await BpeBenchmark.RunAsync(options),
        "generate" => await GenerateBenchmark.RunAsync(options),
        "eval" => await EvalBenchmark.RunAsync(options),
        "pretrain" => await PretrainBenchmark.RunAsync(options),
        "peft" => await PeftBenchmark.RunAsync(options),
        "peft-worker" => await PeftBenchmark.WorkerAsync(options), // one (method, round) of `peft`, in its own process
        _ => Fail($"unknown benchmark '{args[0]}'\n{usage}"),
    };
}
catch (ArgumentException e)
{
    return Fail($"{e.Message}\n{usage}");
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
