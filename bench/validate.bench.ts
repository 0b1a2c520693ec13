/**
 * Log file validation: `opentrail validate-logs` beside the stock `aws cloudtrail validate-logs`
 * on the same bucket in moto, holding one day of a trail (./support/validate-day.ts: 2,016 log
 * files of 5-50 records and 24 hourly digests, built with the server's writers and signed with a
 * key of the server's key ring); wall time of whole runs (process start included), interleaved,
 * with the CPU time moto spent serving each run; then Merkle proof rates of src/integrity/merkle
 * on 1M leaves, in memory and through the Merkle-ledger port on SQLite (support/store-proofs.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CompactTree, inclusionProof, leafHash, rootOf, verifyInclusion } from '../src/integrity/merkle/index.js';
import type { RunResult } from '../test/support/digest-fixture.js';
import { processCpuMs } from './support/process-cpu.js';
import { storeProofFigures } from './support/store-proofs.js';
import { table } from './support/stats.js';
import { buildValidateDay } from './support/validate-day.js';
import type { ValidateDay } from './support/validate-day.js';

/** Runs of each of ours; the stock CLI takes several seconds a run on this day, so fewer of it. */
const OUR_RUNS = 3;
const STOCK_RUNS = 2;
const LOG_FILES = 2016;
const LEAVES = 1_000_000;

export interface ValidateBenchOptions {
  dataDir: string;
  /** Log files in the day (default 2,016: 84 per hourly digest). */
  logFiles?: number;
}

interface Timed {
  meanMs: number;
  runs: number;
  ok: boolean;
  summary: string;
  /** Mean CPU time moto spent during a run; undefined where it cannot be read. */
  motoCpuMs: number | undefined;
}

interface Runner {
  run: () => Promise<RunResult>;
  /** The exit status a correct run has. */
  status: number;
  runs: number;
  /** Lines a correct run prints (the counts), if any. */
  expect?: readonly string[];
}

/**
 * Rounds of every contender in turn (a contender with fewer runs sits out the last rounds): on
 * a shared machine, load that comes and goes then falls on all of them alike. Mean wall time of
 * each, and the mean CPU time moto (`motoPid`) used meanwhile.
 */
async function timeInterleaved<K extends string>(runners: Record<K, Runner>, motoPid: number | undefined): Promise<Record<K, Timed>> {
  const names = Object.keys(runners) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  const motoTimes = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  const timed = Object.fromEntries(names.map((name) => [name, { meanMs: 0, runs: 0, ok: true, summary: '', motoCpuMs: undefined }])) as Record<K, Timed>;
  const rounds = Math.max(...names.map((name) => runners[name].runs));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const runner = runners[name];
      if (round >= runner.runs) continue;
      const motoBefore = processCpuMs(motoPid);
      const start = performance.now();
      const result = await runner.run();
      times[name].push(performance.now() - start);
      const motoAfter = processCpuMs(motoPid);
      if (motoBefore !== undefined && motoAfter !== undefined) motoTimes[name].push(motoAfter - motoBefore);
      const counts = [...result.stdout.matchAll(/^\d+\/\d+ (?:digest|log) files (?:valid|INVALID).*$/gm)].map((m) => m[0]);
      timed[name].summary = counts.join(', ');
      const good = result.status === runner.status && (runner.expect ?? []).every((line) => counts.includes(line));
      timed[name].ok &&= good;
      if (!good) process.stderr.write(`${name}: exit ${result.status}, expected ${runner.status} and ${JSON.stringify(runner.expect ?? [])}:\n${result.stdout}${result.stderr}\n`);
    }
  }
  const mean = (xs: readonly number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  for (const name of names) {
    timed[name].meanMs = mean(times[name]);
    timed[name].runs = times[name].length;
    timed[name].motoCpuMs = motoTimes[name].length === times[name].length ? mean(motoTimes[name]) : undefined;
  }
  return timed;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Calls `step` for about `budgetMs` (at least once); operations per second. */
function rate(budgetMs: number, step: (i: number) => void): { perSecond: number; count: number } {
  const start = performance.now();
  let count = 0;
  do step(count++);
  while (performance.now() - start < budgetMs);
  return { perSecond: count / ((performance.now() - start) / 1000), count };
}

async function merkleRows(dataDir: string): Promise<string[][]> {
  const all = Buffer.allocUnsafe(LEAVES * 32);
  const counter = Buffer.alloc(8);
  let start = performance.now();
  for (let i = 0; i < LEAVES; i++) {
    counter.writeBigUInt64BE(BigInt(i));
    all.set(leafHash(counter), i * 32);
  }
  const leaves = Array.from({ length: LEAVES }, (_, i) => all.subarray(i * 32, i * 32 + 32));
  const leafMs = performance.now() - start;
  start = performance.now();
  const tree = CompactTree.empty();
  for (const leaf of leaves) tree.append(leaf);
  const appendMs = performance.now() - start;
  const root = rootOf(leaves);
  if (!root.equals(tree.root())) throw new Error('CompactTree and rootOf disagree');
  const indexOf = (i: number) => (i * 7919) % LEAVES;
  const proofs: Buffer[][] = [];
  const generated = rate(3000, (i) => proofs.push(inclusionProof(leaves, indexOf(i), LEAVES)));
  const verified = rate(1000, (i) => {
    const n = i % proofs.length;
    if (!verifyInclusion(leaves[indexOf(n)]!, indexOf(n), LEAVES, proofs[n]!, root)) throw new Error('proof did not verify');
  });
  const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  const store = await storeProofFigures(join(dataDir, 'merkle-ledger'), leaves, 20_000);
  return [
    ['leaf hashes (SHA-256 of 0x00 || 8 bytes)', perSecond(LEAVES / (leafMs / 1000)), `${LEAVES.toLocaleString('en-US')} leaves`],
    ['tree rebuild (CompactTree.append)', perSecond(LEAVES / (appendMs / 1000)), `root of 1M leaves in ${seconds(appendMs)}`],
    ['inclusion proofs generated (inclusionProof)', perSecond(generated.perSecond), `${generated.count} proofs, ${proofs[0]!.length} hashes each; each rehashes the tree (no node cache)`],
    ['inclusion proofs verified (verifyInclusion)', perSecond(verified.perSecond), `${verified.count} verifications`],
    ['inclusion proofs from the store, old leaves (first 1 %)', perSecond(store.perSecond.oldLeaves), `${store.proofs} proofs through the ledger port on SQLite (stored tiles), verifyInclusion beside: ${perSecond(store.perSecond.verify)}`],
    ['inclusion proofs from the store, new leaves (last 1 %)', perSecond(store.perSecond.newLeaves), `the tree recorded as ${store.files} files, ${store.nodesPerFile.toFixed(0)} nodes written per file`],
  ];
}

async function validationTable(day: ValidateDay, copyDir: string): Promise<string> {
  const range = ['--start-time', day.startTime.toISOString(), '--end-time', day.endTime.toISOString()];
  // Process start and argument checks only: a trail ARN both refuse before any request.
  const refused = ['--trail-arn', 'not-an-arn', ...range];
  const expect = [`${day.digests}/${day.digests} digest files valid`, `${day.logFiles}/${day.logFiles} log files valid`];
  const ours: Runner = { run: async () => day.ours(range, 120_000), status: 0, runs: OUR_RUNS, expect };
  const oursStart: Runner = { run: async () => day.ours(refused, 60_000), status: 1, runs: OUR_RUNS };
  const local: Runner = { run: async () => day.ours([...range, '--object-store', 'file:', '--data-dir', copyDir], 120_000), status: 0, runs: OUR_RUNS, expect };
  const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
  const pid = day.moto.pid;
  const t = hasAws
    ? await timeInterleaved(
        {
          ours,
          local,
          oursStart,
          stock: { run: async () => day.stock(range, 300_000), status: 0, runs: STOCK_RUNS, expect },
          stockStart: { run: async () => day.stock(refused, 60_000), status: 255, runs: STOCK_RUNS },
        },
        pid,
      )
    : { ...(await timeInterleaved({ ours, local, oursStart }, pid)), stock: undefined, stockStart: undefined };
  const work = (total: Timed, startup: Timed) => total.meanMs - startup.meanMs;
  const motoCpu = (total: Timed) => (total.motoCpuMs === undefined ? 'n/a' : seconds(total.motoCpuMs));
  const row = (name: string, total: Timed, startup: Timed, moto: string) => [
    name,
    seconds(total.meanMs),
    String(total.runs),
    seconds(startup.meanMs),
    seconds(work(total, startup)),
    moto,
    total.ok ? 'valid' : 'FAILED',
    total.summary,
  ];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  const stock = t.stock;
  const stockStart = t.stockStart;
  const missing = ['n/a', '', '', 'n/a', '', 'aws CLI not installed', ''];
  const rows = [
    row('opentrail validate-logs (moto)', t.ours, t.oursStart, motoCpu(t.ours)),
    stock === undefined || stockStart === undefined ? ['aws cloudtrail validate-logs (moto)', 'n/a', '', 'n/a', 'n/a', '', 'aws CLI not installed', ''] : row('aws cloudtrail validate-logs (moto)', stock, stockStart, motoCpu(stock)),
    stock === undefined || stockStart === undefined
      ? ['speed-up, both on moto (goal 20x)', ...missing]
      : ['speed-up, both on moto (goal 20x)', ratio(stock.meanMs, t.ours.meanMs), '', '', ratio(work(stock, stockStart), work(t.ours, t.oursStart)), '', '', ''],
    stock === undefined || t.ours.motoCpuMs === undefined
      ? ['ceiling while moto serves every read', ...missing]
      : ['ceiling while moto serves every read', ratio(stock.meanMs, t.ours.motoCpuMs), '', '', '', '', '', 'stock wall time / moto CPU of our run'],
    row('opentrail validate-logs, file: copy', t.local, t.oursStart, motoCpu(t.local)),
    stock === undefined ? ['speed-up, ours on the file: copy', ...missing] : ['speed-up, ours on the file: copy', ratio(stock.meanMs, t.local.meanMs), '', '', '', '', '', 'stock on moto / ours on file:'],
  ];
  return (
    `validate-logs on one day of a trail: ${day.logFiles.toLocaleString('en-US')} log files (${day.records.toLocaleString('en-US')} records) and ${day.digests} hourly digests in moto, ` +
    `the range 00:00-24:00 UTC (dataset built and uploaded in ${seconds(day.buildMs)});\n` +
    `wall time of whole runs, mean of ${OUR_RUNS} runs for ours and ${STOCK_RUNS} for the stock CLI (interleaved); ` +
    'process start = a run refused for its trail ARN before any request; work = wall time - process start;\n' +
    'moto CPU = CPU time the moto server used during the run (it serves one request at a time: every file is one GetObject)\n' +
    table(['validator', 'wall time', 'runs', 'process start', 'work', 'moto CPU', 'result', 'counts'], rows)
  );
}

export async function validateBench(options: ValidateBenchOptions): Promise<string> {
  let day: ValidateDay | undefined;
  let validation: string;
  try {
    day = await buildValidateDay({ dataDir: join(options.dataDir, 'server'), logFiles: options.logFiles ?? LOG_FILES });
    // The same objects (bytes and metadata) in a local file: store: the engine where the store is not the bottleneck.
    const copyDir = join(options.dataDir, 'file-copy');
    await day.copyTo(copyDir);
    validation = await validationTable(day, copyDir);
  } finally {
    await day?.stop();
  }
  return `${validation}\n\nMerkle proofs on ${LEAVES.toLocaleString('en-US')} leaves (src/integrity/merkle)\n${table(['operation', 'rate', 'notes'], await merkleRows(options.dataDir))}`;
}
