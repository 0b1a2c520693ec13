// A validate-logs run of one trail over a time range: the validate stream's progress, then its result.
import { useEffect, useRef, useState } from 'preact/hooks';
import { checkSession, streamUrl } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import { fromLocalInput, nowSeconds, toLocalInput } from '../format';
import type { ValidateResult } from '../types';

type Run = { kind: 'idle' } | { kind: 'running'; done: number; total: number } | { kind: 'done'; result: ValidateResult } | { kind: 'failed'; error: string };

export function Validate({ trailArn, region }: { trailArn: string; region: string }) {
  const [from, setFrom] = useState(() => toLocalInput(nowSeconds() - 86_400));
  const [to, setTo] = useState(() => toLocalInput(nowSeconds() + 60));
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const source = useRef<EventSource | undefined>(undefined);
  useEffect(() => () => source.current?.close(), []);

  const start = (event: Event) => {
    event.preventDefault();
    const startTime = fromLocalInput(from);
    const endTime = fromLocalInput(to);
    if (startTime === undefined || endTime === undefined) {
      setRun({ kind: 'failed', error: 'Give a start and an end time.' });
      return;
    }
    source.current?.close();
    const url = streamUrl('/console/api/validate', { trailArn, startTime: String(startTime), endTime: String(endTime), region });
    const es = new EventSource(url);
    source.current = es;
    setRun({ kind: 'running', done: 0, total: 0 });
    es.addEventListener('progress', (m: MessageEvent<string>) => {
      const p = JSON.parse(m.data) as { done: number; total: number };
      setRun({ kind: 'running', done: p.done, total: p.total });
    });
    es.addEventListener('result', (m: MessageEvent<string>) => {
      es.close();
      setRun({ kind: 'done', result: JSON.parse(m.data) as ValidateResult });
    });
    let heard = false;
    es.addEventListener('progress', () => (heard = true));
    // An `event: error` from the server carries {code, message}; a plain error is the connection's.
    es.addEventListener('error', (m: Event) => {
      es.close();
      if (m instanceof MessageEvent && typeof m.data === 'string') {
        const e = JSON.parse(m.data) as { code?: string; message?: string };
        setRun({ kind: 'failed', error: `${e.code ?? 'Error'}: ${e.message ?? ''}` });
      } else if (!heard) {
        // Refused before the stream began (no such trail, AccessDenied): the answer is a JSON error.
        void refusal(url).then((error) => setRun((r) => (r.kind === 'running' ? { kind: 'failed', error } : r)));
      } else {
        setRun((r) => (r.kind === 'running' ? { kind: 'failed', error: 'The validation stream broke off.' } : r));
      }
    });
  };

  return (
    <form class="validate" onSubmit={start}>
      <h3>Validate log files</h3>
      <div class="inline-fields">
        <label>
          Start time
          <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          End time
          <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={run.kind === 'running'}>
          Validate
        </button>
      </div>
      {run.kind === 'running' && <ProgressBar done={run.done} total={run.total} label="Validating" />}
      {run.kind === 'failed' && <ErrorMessage error={run.error} />}
      {run.kind === 'done' && <ResultView result={run.result} />}
    </form>
  );
}

/** Why the server refused a stream: its JSON error as "Code: message". */
async function refusal(url: string): Promise<string> {
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (response.ok) {
      await response.body?.cancel();
      return 'The validation stream broke off.';
    }
    const body = (await response.json()) as { __type?: string; message?: string };
    if (response.status === 401) void checkSession().catch(() => undefined);
    return `${(body.__type ?? 'Error').replace(/^.*#/, '')}: ${body.message ?? response.statusText}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function ResultView({ result }: { result: ValidateResult }) {
  return (
    <div class={result.ok ? 'result ok-box' : 'result bad-box'} role="status">
      <p>
        <strong>{result.ok ? 'Valid: every digest and log file checks out.' : 'Not valid: problems found.'}</strong>
      </p>
      <p>
        Digests: {result.digests.valid} valid, {result.digests.invalid} invalid. Log files: {result.logFiles.valid} valid, {result.logFiles.invalid} invalid.
        {result.outsideRange !== undefined &&
          ` Outside the range: digests ${result.outsideRange.digests.valid} valid, ${result.outsideRange.digests.invalid} invalid; log files ${result.outsideRange.logFiles.valid} valid, ${result.outsideRange.logFiles.invalid} invalid.`}
      </p>
      {result.problems.length > 0 && (
        <ul class="problems">
          {result.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      {result.report !== undefined && result.report !== '' && (
        <details>
          <summary>Report</summary>
          <pre class="json">{result.report}</pre>
        </details>
      )}
    </div>
  );
}
