/**
 * The text of a validation run, laid out as `aws cloudtrail validate-logs` lays it out (facts
 * §5.8): the startup line, `--verbose` lines for valid files on stdout, errors on stderr (each
 * followed by a blank line), then the summary. OpenTrail's additions follow the same shapes:
 * `(outside range) ` before files read only for the Merkle tree, `Trusted digest\t<path>\t...`,
 * and `Merkle tree\t<region>\t...` (reasons on stderr, the verdict in the summary).
 */
import { displayTime } from './digest-keys.js';
import type { Entry, Tally, ValidationResult } from './types.js';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function startupText(trailArn: string, startMs: number, endMs: number): string {
  return `Validating log files for trail ${trailArn} between ${displayTime(startMs)} and ${displayTime(endMs)}\n\n`;
}

/** The status line of an entry, and whether it is an error (stderr) or a verbose line (stdout). */
function statusLine(entry: Entry): { text: string; error: boolean } | undefined {
  switch (entry.kind) {
    case 'digest':
    case 'log': {
      const prefix = `${entry.scope === 'outside' ? '(outside range) ' : ''}${entry.kind === 'digest' ? 'Digest file' : 'Log file'}\ts3://${entry.bucket}/${entry.key}\t`;
      return entry.valid ? { text: `${prefix}valid`, error: false } : { text: `${prefix}INVALID: ${entry.reason}`, error: true };
    }
    case 'lost': {
      const prefix = `${entry.scope === 'outside' ? '(outside range) ' : ''}Digest file`;
      const where = `(ending about ${displayTime(entry.estimatedEndMs)}, between s3://${entry.bucket}/${entry.afterKey} and s3://${entry.bucket}/${entry.beforeKey})`;
      return { text: `${prefix}\t${where}\tINVALID: not found (no digest names it any more; inferred from the time the missing digests covered)`, error: true };
    }
    case 'unlisted':
      return undefined;
    case 'gap':
      if (entry.scope === 'outside') return undefined;
      return { text: `No log files were delivered by CloudTrail between ${displayTime(entry.nextEndMs)} and ${displayTime(entry.lastStartMs)}`, error: true };
    case 'trusted':
      return entry.valid
        ? { text: `Trusted digest\t${entry.path}\tvalid (${entry.location}, treeSize ${entry.treeSize})`, error: false }
        : { text: `Trusted digest\t${entry.path}\tINVALID: ${entry.reason}`, error: true };
    case 'merkle':
      return entry.status === 'invalid' ? { text: `Merkle tree\t${entry.region}\tINVALID: ${entry.reason}`, error: true } : undefined;
  }
}

function ratio(tally: Tally, name: string): string {
  const total = tally.valid + tally.invalid;
  if (total === 0) return '';
  return `\n${tally.valid}/${total} ${name} files valid${tally.invalid > 0 ? `, ${tally.invalid}/${total} ${name} files INVALID` : ''}`;
}

function merkleVerdict(entries: readonly Entry[]): string | undefined {
  const lines = entries.filter((e) => e.kind === 'merkle');
  const first = lines[0];
  if (first === undefined) return undefined;
  if (first.status === 'valid') return `Merkle tree\t${first.region}\tvalid (${first.leaves} leaves)`;
  if (first.status === 'unavailable') return `Merkle tree\t${first.region}\tnot checked: ${first.reason}`;
  return `Merkle tree\t${first.region}\tINVALID (${lines.length} problem${lines.length === 1 ? '' : 's'}, above)`;
}

export function printResult(result: ValidationResult, request: { startMs: number; endMs: number; verbose: boolean }, out: Output): void {
  let lastDoubleSpaced = true;
  for (const entry of result.entries) {
    const line = statusLine(entry);
    if (line === undefined) continue;
    if (line.error) {
      out.stderr(lastDoubleSpaced ? `${line.text}\n\n` : `\n${line.text}\n\n`);
      lastDoubleSpaced = true;
    } else if (request.verbose) {
      out.stdout(`${line.text}\n`);
      lastDoubleSpaced = false;
    }
  }
  let summary = lastDoubleSpaced ? '' : '\n';
  summary += `Results requested for ${displayTime(request.startMs)} to ${displayTime(request.endMs)}\n`;
  const { range, outside } = result.digests;
  if (range.valid + range.invalid === 0) summary += 'No digests found\n';
  else {
    summary +=
      result.foundStartMs === undefined || result.foundEndMs === undefined
        ? 'No valid digests found in range\n'
        : `Results found for ${displayTime(result.foundStartMs)} to ${displayTime(result.foundEndMs)}:\n`;
    summary += ratio(range, 'digest') + ratio(result.logs.range, 'log');
  }
  summary += ratio(outside, 'out-of-range digest') + ratio(result.logs.outside, 'out-of-range log');
  const unlisted = result.entries.find((e) => e.kind === 'unlisted');
  if (unlisted !== undefined) summary += `\nLog files no digest lists\t${unlisted.status}: ${unlisted.reason}`;
  const verdict = merkleVerdict(result.entries);
  if (verdict !== undefined) summary += `\n${verdict}`;
  out.stdout(`${summary}\n`);
}
