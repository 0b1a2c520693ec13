/**
 * What both generators (gen-model.ts, gen-gateway-routes.ts) share: the installed botocore,
 * found through `python3`, its service models, a TypeScript string literal, and writing the
 * generated files (or, with `--check`, telling which are out of date).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Botocore {
  version: string;
  dir: string;
}

export function locateBotocore(): Botocore {
  const result = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8' },
  );
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`cannot find botocore through python3: ${result.error?.message ?? result.stderr.trim()}`);
  }
  const [version, dir] = result.stdout.trim().split('\n');
  if (version === undefined || dir === undefined) throw new Error(`unexpected python3 output: ${result.stdout}`);
  return { version: version.trim(), dir: dir.trim() };
}

/** A service's service-2.json (or its .gz) of one API version, parsed. */
export function readServiceModel<T>(botocore: Botocore, service: string, apiVersion: string): T {
  const base = path.join(botocore.dir, 'data', service, apiVersion, 'service-2.json');
  let text: string;
  if (existsSync(base)) text = readFileSync(base, 'utf8');
  else if (existsSync(`${base}.gz`)) text = gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  else throw new Error(`botocore ${botocore.version} has no ${service}/${apiVersion} model`);
  return JSON.parse(text) as T;
}

/** The newest API version botocore holds a service model for (versions are ISO dates). */
export function newestApiVersion(botocore: Botocore, service: string): string {
  const dir = path.join(botocore.dir, 'data', service);
  if (!existsSync(dir)) throw new Error(`botocore ${botocore.version} has no ${service} models`);
  const versions = readdirSync(dir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))
    .filter((name) => existsSync(path.join(dir, name, 'service-2.json')) || existsSync(path.join(dir, name, 'service-2.json.gz')))
    .sort();
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`botocore ${botocore.version} has no ${service} service-2.json`);
  return newest;
}

/** A single-quoted TypeScript string literal. */
export function tsString(value: string): string {
  const escaped = JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\.|'/g, (match) => (match === '\\"' ? '"' : match === "'" ? "\\'" : match));
  return `'${escaped}'`;
}

export interface GeneratedFile {
  /** Absolute path. */
  file: string;
  text: string;
}

/**
 * Runs a generator as a command: `name [--check]`. Writes the files that differ, or with
 * `--check` lists them and answers 1. Returns the exit code.
 */
export function runGenerator(name: string, what: string, argv: readonly string[], generate: (botocore: Botocore) => GeneratedFile[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: npx tsx scripts/${name}.ts [--check]   (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  try {
    const botocore = locateBotocore();
    const stale: string[] = [];
    for (const { file, text } of generate(botocore)) {
      const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (current === text) continue;
      if (check) {
        stale.push(path.relative(process.cwd(), file));
      } else {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        console.log(`wrote ${path.relative(process.cwd(), file)}`);
      }
    }
    if (stale.length > 0) {
      console.error(`out of date with botocore ${botocore.version}: ${stale.join(', ')}\nrun: npx tsx scripts/${name}.ts`);
      return 1;
    }
    if (check) console.log(`generated ${what} are up to date with botocore ${botocore.version}`);
    return 0;
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
