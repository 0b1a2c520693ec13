/**
 * What the console's endpoints share at the HTTP level: their JSON answers and errors, cookies,
 * and the checks every console request passes (not cross-site; the CSRF token on changes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { ConsoleSession } from './sessions.js';

export const SESSION_COOKIE = 'opentrail-session';
export const CSRF_HEADER = 'x-opentrail-csrf';
export const REGION_HEADER = 'x-opentrail-region';

/** A console endpoint's refusal: `{"__type", "message"}` with an HTTP status, as AWS errors look. */
export class ConsoleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export const notSignedIn = () => new ConsoleError('NotSignedIn', 'Sign in to use the console: there is no session, or it has ended.', 401);

/** Headers on everything the console serves: nothing framed, sniffed, or leaked by referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ConsoleError): void {
  // A body left unread (too large) would be read as the next request: close the connection instead.
  sendJson(res, error.status, { __type: error.code, message: error.message }, error.status === 413 ? { connection: 'close' } : {});
}

export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), only under /console. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/console; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/**
 * Browsers say where a request comes from (Sec-Fetch-Site); one from another site is refused
 * whatever it asks, so a cross-site page can neither read nor act, even where a cookie would go.
 * An Origin that is not this host is refused too (older browsers).
 */
export function checkSameSite(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') throw new ConsoleError('CrossSiteRequest', 'The console does not answer requests from other sites.', 403);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new ConsoleError('CrossSiteRequest', 'The console does not answer requests from other origins.', 403);
  }
}

export function checkCsrf(req: IncomingMessage, session: ConsoleSession): void {
  const given = Buffer.from(String(req.headers[CSRF_HEADER] ?? ''));
  const expected = Buffer.from(session.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ConsoleError('InvalidCsrfToken', `This request needs the session's CSRF token in the ${CSRF_HEADER} header.`, 403);
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** AWS's commercial regions, for the console's region picker; any region of this form is accepted. */
export const CONSOLE_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

export function checkRegion(region: string): string {
  if (!REGION.test(region)) throw new ConsoleError('ValidationException', `${region.slice(0, 40)} is not a region name.`, 400);
  return region;
}
