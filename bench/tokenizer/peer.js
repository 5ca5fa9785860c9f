// bench/tokenizer peer: encodes the same documents with npm `tiktoken` (WASM build of OpenAI's Rust core) and
// `js-tiktoken` (pure JavaScript), one thread, best of N; prints JSON {encoding: {peer: {seconds, tokens, hashes}}}.
// Usage: node peer.js <documents.jsonl> <repeat> <encoding>...   (one JSON string per line; special tokens allowed)
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, 'node_modules');
const { get_encoding } = require(path.join(modules, 'tiktoken'));
const { getEncoding } = require(path.join(modules, 'js-tiktoken'));

const [file, repeatText, ...encodings] = process.argv.slice(2);
const repeat = Math.max(1, parseInt(repeatText, 10) || 1);
const documents = fs.readFileSync(file, 'utf8').split('\n').filter(line => line.length > 0).map(line => JSON.parse(line));

// The same per-document hash as the C# side: FNV-1a over the ids as 32-bit values.
function hash(ids) {
  let h = 2166136261;
  for (const id of ids) { h ^= id; h = Math.imul(h, 16777619) >>> 0; }
  return h >>> 0;
}

function measure(encode) {
  encode(documents[0]); // warm-up (WASM instantiation, JIT)
  let best = Infinity, results = null;
  for (let r = 0; r < repeat; r++) {
    const out = new Array(documents.length);
    const start = process.hrtime.bigint();
    for (let i = 0; i < documents.length; i++) out[i] = encode(documents[i]);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    results = out;
  }
  return { seconds: best, tokens: results.reduce((n, ids) => n + ids.length, 0), hashes: results.map(hash) };
}

const report = {};
for (const name of encodings) {
  const wasm = get_encoding(name);
  const js = getEncoding(name);
  report[name] = {
    'tiktoken': measure(text => wasm.encode(text, 'all')),
    'js-tiktoken': measure(text => js.encode(text, 'all')),
  };
  wasm.free();
}
process.stdout.write(JSON.stringify(report));
