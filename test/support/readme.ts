/**
 * The README's code blocks, read from README.md itself, for the test that runs them
 * (test/interop/readme.test.ts). A block may be preceded, on the line right before its fence, by
 *
 *   <!-- readme-test: skip (why) -->      not run (the reason is required)
 *   <!-- readme-test: server -->          starts the server in the foreground (`npm start ...`):
 *                                         run in the background, replacing the running server
 *   <!-- readme-test: isolated (why) -->  run, but its exports do not carry to later blocks
 *
 * Blocks of language sh, ts and python run; a fence without language is output (the banner
 * sample). Other shell spellings (bash, shell, console) are refused so that no command escapes
 * the test by its fence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/cli/heap-settings.js';

export type BlockMode = 'run' | 'skip' | 'server' | 'isolated';

export interface ReadmeBlock {
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly mode: BlockMode;
  readonly reason?: string;
}

const MARKER = /^<!--\s*readme-test:\s*([a-z]+)\s*(?:\((.*)\))?\s*-->\s*$/;
const FENCE_OPEN = /^```([A-Za-z0-9_-]*)\s*$/;
const RUNNABLE = new Set(['sh', 'ts', 'python']);
const REFUSED = new Set(['bash', 'shell', 'console', 'zsh', 'shell-session', 'js', 'javascript', 'py']);

export function parseReadme(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!);
    if (open === null) {
      if (MARKER.test(lines[i]!) && !FENCE_OPEN.test(lines[i + 1] ?? '')) {
        throw new Error(`README.md:${i + 1}: a readme-test marker must be on the line right before a fence`);
      }
      continue;
    }
    const lang = open[1]!;
    if (REFUSED.has(lang)) throw new Error(`README.md:${i + 1}: write \`\`\`sh, \`\`\`ts or \`\`\`python, not \`\`\`${lang}`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`README.md:${i + 1}: unclosed fence`);
    const marker = MARKER.exec(lines[i - 1] ?? '');
    let mode: BlockMode = 'run';
    let reason: string | undefined;
    if (marker !== null) {
      const kind = marker[1]!;
      if (kind !== 'skip' && kind !== 'server' && kind !== 'isolated') throw new Error(`README.md:${i}: unknown readme-test marker "${kind}"`);
      mode = kind;
      reason = marker[2]?.trim();
      if (mode === 'skip' && (reason === undefined || reason === '')) throw new Error(`README.md:${i}: a skipped block needs a reason: <!-- readme-test: skip (why) -->`);
    }
    if (lang === '' || RUNNABLE.has(lang)) blocks.push({ line: i + 1, lang, text: body.join('\n'), mode, ...(reason !== undefined && { reason }) });
    i = j;
  }
  return blocks;
}

export function readReadme(root: string): ReadmeBlock[] {
  return parseReadme(readFileSync(join(root, 'README.md'), 'utf8'));
}

/** The documented addresses, replaced by the test's own. */
export const DOCUMENTED_SERVER = '127.0.0.1:4747';
export const DOCUMENTED_MOTO = '127.0.0.1:5000';

function addressPattern(address: string): RegExp {
  return new RegExp(`${address.replaceAll('.', '\\.')}(?!\\d)`, 'g');
}

export function substituteAddresses(text: string, server: string | undefined, moto: string | undefined): string {
  let out = text;
  if (server !== undefined) out = out.replace(addressPattern(DOCUMENTED_SERVER), server);
  if (moto !== undefined) out = out.replace(addressPattern(DOCUMENTED_MOTO), moto);
  return out;
}

export function mentions(text: string, address: string): boolean {
  return addressPattern(address).test(text);
}

/**
 * `npm start [-- flags]` is `npm run build --silent && node <SERVER_NODE_FLAGS> bin/opentrail.js
 * serve [flags]` (package.json; the test checks that): the test runs the built command directly.
 */
export function serverCommand(text: string, bin: string): string {
  const pattern = /\bnpm start(?: --)?(?=\s|$)/g;
  const count = text.match(pattern)?.length ?? 0;
  if (count !== 1) throw new Error(`a readme-test server block must hold exactly one \`npm start\`, found ${count}:\n${text}`);
  return text.replace(pattern, `node ${SERVER_NODE_FLAGS.join(' ')} ${JSON.stringify(bin)} serve`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The README's sample of the first-start banner as one pattern per line: the example account,
 * `AKIA...`, `...` and `/path/to/data` stand for what a real first start prints.
 */
export function bannerPatterns(sample: string, dataDir: string, serverAddress: string): RegExp[] {
  const placeholders = /(\/path\/to\/data|493817204715|AKIA\.\.\.|\.\.\.|127\.0\.0\.1:4747)/;
  return sample
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const pattern = line
        .trimEnd()
        .split(placeholders)
        .map((part, index) => {
          if (index % 2 === 0) return escapeRegExp(part);
          if (part === '/path/to/data') return escapeRegExp(dataDir);
          if (part === '493817204715') return '\\d{12}';
          if (part === 'AKIA...') return 'AKIA[A-Z0-9]{16}';
          if (part === '...') return '\\S+';
          return escapeRegExp(serverAddress);
        })
        .join('');
      return new RegExp(`^${pattern}$`);
    });
}

/** Whether the lines of `output` match `patterns`, in order (other lines may come between). */
export function matchesInOrder(output: string, patterns: readonly RegExp[]): { ok: true } | { ok: false; missing: RegExp } {
  const lines = output.split('\n').map((line) => line.trimEnd());
  let at = 0;
  for (const pattern of patterns) {
    while (at < lines.length && !pattern.test(lines[at]!)) at++;
    if (at === lines.length) return { ok: false, missing: pattern };
    at++;
  }
  return { ok: true };
}
