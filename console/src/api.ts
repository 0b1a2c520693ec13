// The console's only way to the server: the session endpoints and POST /console/api/call, which
// carries an AWS JSON 1.1 call (X-Amz-Target) with the session standing in for the signature.

export interface Session {
  accountId: string;
  arn: string;
  userName: string;
  accessKeyId: string;
  region: string;
  regions: string[];
  expiresAt: string;
  csrfToken: string;
}

/** An AWS (or console) error as the server answered it: its __type without any `#` prefix, and its message verbatim. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CLOUDTRAIL = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
const OPENTRAIL = 'OpenTrail_20261124.';
const OPENTRAIL_OPS = new Set(['GetEventVolume', 'ListDigestChains']);

let current: Session | undefined;
let region: string | undefined;
let onSignedOut: () => void = () => undefined;

export function setSession(session: Session | undefined): void {
  current = session;
  region = session?.region;
}
export function setRegion(r: string): void {
  region = r;
}
export function currentRegion(): string | undefined {
  return region;
}
/** Called whenever the server answers NotSignedIn: the app goes back to the sign-in page. */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

export function targetOf(op: string): string {
  return (OPENTRAIL_OPS.has(op) ? OPENTRAIL : CLOUDTRAIL) + op;
}

function codeOf(type: unknown): string {
  if (typeof type !== 'string' || type === '') return 'UnknownError';
  const hash = type.lastIndexOf('#');
  return hash >= 0 ? type.slice(hash + 1) : type;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: show what came.
  }
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : text || response.statusText;
  const error = new ApiError(codeOf(body.__type ?? response.headers.get('x-amzn-errortype')), message, response.status);
  if (response.status === 401 && error.code === 'NotSignedIn') {
    current = undefined;
    onSignedOut();
  }
  return error;
}

export async function readSession(): Promise<Session | undefined> {
  const response = await fetch('/console/api/session', { credentials: 'same-origin' });
  if (response.status === 401) return undefined;
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as Session;
}

/** After a stream ended or was refused: whether the session still holds (if not, back to the sign-in page). */
export async function checkSession(): Promise<boolean> {
  const session = await readSession();
  if (session !== undefined) return true;
  current = undefined;
  onSignedOut();
  return false;
}

export async function signIn(accessKeyId: string, secretAccessKey: string, signInRegion?: string): Promise<Session> {
  const response = await fetch('/console/api/sign-in', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ accessKeyId, secretAccessKey, ...(signInRegion ? { region: signInRegion } : {}) }),
  });
  if (!response.ok) {
    const text = await response.text();
    let body: { __type?: unknown; message?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // keep the text
    }
    throw new ApiError(codeOf(body.__type), typeof body.message === 'string' ? body.message : text || response.statusText, response.status);
  }
  return (await response.json()) as Session;
}

export async function signOut(): Promise<void> {
  const csrf = current?.csrfToken ?? '';
  await fetch('/console/api/sign-out', { method: 'POST', credentials: 'same-origin', headers: { 'X-OpenTrail-Csrf': csrf } });
  current = undefined;
}

/** One operation through the pipeline; resolves its JSON output or rejects with its ApiError. */
export async function call<T = Record<string, unknown>>(op: string, input: object = {}): Promise<T> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': targetOf(op),
    'X-OpenTrail-Csrf': current?.csrfToken ?? '',
  };
  if (region !== undefined) headers['X-OpenTrail-Region'] = region;
  const response = await fetch('/console/api/call', { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(input) });
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** The message to show for anything a call threw: an AWS error as "Code: message", verbatim. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A console stream URL (download, tail, validate): the path with its query parameters and the region chosen. */
export function streamUrl(path: string, params: Record<string, string>): string {
  const search = new URLSearchParams(params);
  if (region !== undefined && !search.has('region')) search.set('region', region);
  return `${path}?${search.toString()}`;
}
