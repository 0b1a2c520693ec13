/**
 * The web console's HTTP surface under /console: its built files, sign-in and sessions, the one
 * endpoint that carries API calls into the pipeline, and the streams (docs/console.md). It is a
 * StreamingHandler because downloads, the live tail and validation runs are written as they go.
 *
 * Every API request here is first checked to come from the console's own origin; then the
 * session's key is resolved again (a deactivated key ends its sessions); a POST must carry the
 * session's CSRF token. Unsigned requests only: anything under /console with a SigV4 or SigV2
 * signature is an S3 call to a bucket named `console`, and goes on to the gateway.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { Caller } from '../../iam/caller.js';
import type { IdentityService } from '../../iam/identity-service.js';
import type { EventStore } from '../../store/event-store.js';
import type { ObjectReader } from '../../integrity/validate/index.js';
import { ServiceError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http-types.js';
import { BodyTooLargeError, ClientGoneError, readBody as readWholeBody } from '../node-http.js';
import type { StreamingHandler } from '../node-http.js';
import type { LocalCall } from '../pipeline.js';
import { sourceIpOf } from '../condition-context.js';
import { tlsInfoOf } from '../tls-info.js';
import {
  checkCsrf,
  checkRegion,
  checkSameSite,
  clearedSessionCookie,
  CONSOLE_REGIONS,
  ConsoleError,
  cookieOf,
  notSignedIn,
  REGION_HEADER,
  SECURITY_HEADERS,
  sendError,
  sendJson,
  SESSION_COOKIE,
  sessionCookie,
} from './console-http.js';
import { download, parseHistoryQuery, tail } from './event-streams.js';
import type { StreamCaller } from './event-streams.js';
import type { ConsoleSession } from './sessions.js';
import { ConsoleSessions } from './sessions.js';
import { parseSignIn, signIn, SignInThrottle } from './sign-in.js';
import { StaticFiles } from './static-files.js';
import { parseValidateRequest, validateStream } from './validate-stream.js';

const SIGN_IN_BODY_BYTES = 16 * 1024;

export interface ConsoleDeps {
  /** dist/console */
  root: string;
  identity: IdentityService;
  events: EventStore;
  objects: ObjectReader;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  defaultRegion: string;
  sessionLifetimeMs: number;
  maxBodyBytes: number;
  /** The server speaks TLS: cookies get `Secure`. */
  tls: boolean;
  /** A console call into the pipeline (RequestPipeline.handleForSession). */
  handleCall(request: HttpRequest, caller: Caller, region: string): Promise<HttpResponse>;
  /** A local call through the pipeline (RequestPipeline.invokeLocal): the streams' opening calls. */
  invoke(call: LocalCall): Promise<unknown>;
}

/** The body, with the console's errors for one too large or cut short. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readWholeBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ConsoleError('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, 413);
    if (error instanceof ClientGoneError) throw new ConsoleError('IncompleteBody', 'The request body ended early.', 400);
    throw error;
  }
}

const remoteAddressOf = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

/** A request a SigV4 or SigV2 client signed: not the console's, whatever its path. */
function isSigned(req: IncomingMessage, query: string): boolean {
  return req.headers.authorization !== undefined || /(^|&)(X-Amz-Signature|X-Amz-Credential|Signature|AWSAccessKeyId)=/i.test(query);
}

export class ConsoleHandler implements StreamingHandler {
  readonly #deps: ConsoleDeps;
  readonly #files: StaticFiles;
  readonly #sessions: ConsoleSessions;
  readonly #throttle = new SignInThrottle();
  /** Streams open now (live tails, validation runs), ended at shutdown rather than waited for. */
  readonly #streams = new Set<ServerResponse>();

  constructor(deps: ConsoleDeps) {
    this.#deps = deps;
    this.#files = new StaticFiles(deps.root);
    this.#sessions = new ConsoleSessions(deps.sessionLifetimeMs, deps.clock);
  }

  claims(req: IncomingMessage): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    return (path === '/console' || path.startsWith('/console/')) && !isSigned(req, q < 0 ? '' : url.slice(q + 1));
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
    try {
      if (path === '/console') {
        res.writeHead(301, { ...SECURITY_HEADERS, location: '/console/', 'content-length': 0 });
        res.end();
      } else if (path.startsWith('/console/api/')) {
        await this.#api(path.slice('/console/api/'.length), url.searchParams, req, res);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        await this.#files.serve((req.url ?? '').slice('/console/'.length).split('?')[0] ?? '', req.method, res);
      } else {
        throw new ConsoleError('MethodNotAllowed', `${req.method ?? ''} is not allowed here.`, 405);
      }
    } catch (error) {
      this.#fail(res, error);
    }
  }

  /** Ends the open streams (shutdown): a live tail would otherwise hold the drain for its whole timeout. */
  closeStreams(): void {
    for (const res of this.#streams) res.end();
    this.#streams.clear();
  }

  #fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      if (!(error instanceof ConsoleError) && !(error instanceof ServiceError)) this.#deps.logger.error({ err: error }, 'console stream failed');
      res.end();
      return;
    }
    if (error instanceof ConsoleError) sendError(res, error);
    else if (error instanceof ServiceError) sendJson(res, error.httpStatus, { __type: error.code, message: error.message });
    else {
      this.#deps.logger.error({ err: error }, 'console request failed');
      sendError(res, new ConsoleError('InternalFailure', 'The console request failed; try again.', 500));
    }
  }

  async #api(route: string, params: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkSameSite(req);
    const method = req.method ?? 'GET';
    const expect = (wanted: string) => {
      if (method !== wanted) throw new ConsoleError('MethodNotAllowed', `${route} takes ${wanted}.`, 405);
    };
    switch (route) {
      case 'sign-in':
        expect('POST');
        return this.#signIn(req, res);
      case 'session': {
        expect('GET');
        const { session } = await this.#signedIn(req);
        return sendJson(res, 200, await this.#sessionView(session));
      }
      case 'sign-out': {
        expect('POST');
        const session = this.#sessions.find(cookieOf(req, SESSION_COOKIE));
        if (session !== undefined) checkCsrf(req, session);
        this.#sessions.close(cookieOf(req, SESSION_COOKIE));
        res.writeHead(204, { ...SECURITY_HEADERS, 'set-cookie': clearedSessionCookie(this.#deps.tls) });
        res.end();
        return;
      }
      case 'call':
        expect('POST');
        return this.#call(req, res);
      case 'events/download': {
        expect('GET');
        const who = await this.#streamCaller(req, params);
        return this.#stream(res, async () => download(params.get('format'), parseHistoryQuery(params.get('query')), who, res, this.#streamDeps()));
      }
      case 'events/tail': {
        expect('GET');
        const who = await this.#streamCaller(req, params);
        return this.#stream(res, async () => tail(parseHistoryQuery(params.get('query')), who, res, this.#streamDeps()));
      }
      case 'validate': {
        expect('GET');
        const who = await this.#streamCaller(req, params);
        const request = parseValidateRequest(params, this.#deps.clock.now(), who.region);
        return this.#stream(res, async () => validateStream(request, who, res, { objects: this.#deps.objects, clock: this.#deps.clock, logger: this.#deps.logger, invoke: async (call) => this.#deps.invoke(call) }));
      }
      default:
        throw new ConsoleError('NotFound', `There is no console endpoint ${route.slice(0, 100)}.`, 404);
    }
  }

  async #signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, SIGN_IN_BODY_BYTES);
    const sourceIPAddress = sourceIpOf({ remoteAddress: remoteAddressOf(req) });
    if (!this.#throttle.admit(sourceIPAddress, this.#deps.clock.now())) {
      throw new ConsoleError('ThrottlingException', 'Too many sign-in attempts from this address; wait a minute.', 429);
    }
    const input = parseSignIn(body);
    const region = checkRegion(input.region ?? this.#deps.defaultRegion);
    const tls = tlsInfoOf(req);
    const host = req.headers.host ?? '';
    const caller = await signIn(
      input,
      {
        sourceIPAddress,
        userAgent: String(req.headers['user-agent'] ?? ''),
        region,
        loginTo: `${this.#deps.tls ? 'https' : 'http'}://${host}/console/`,
        ...(tls !== undefined && { tls: { ...tls, clientProvidedHostHeader: host } }),
      },
      this.#deps,
    );
    const { token, session } = this.#sessions.open(caller.accessKeyId, caller.accountId, region);
    sendJson(res, 200, await this.#sessionView(session, caller), {
      'set-cookie': sessionCookie(token, Math.floor(this.#sessions.lifetimeMs / 1000), this.#deps.tls),
    });
  }

  /** The session of the request's cookie and its caller now; NotSignedIn when either is gone. */
  async #signedIn(req: IncomingMessage): Promise<{ session: ConsoleSession; caller: Caller }> {
    const session = this.#sessions.find(cookieOf(req, SESSION_COOKIE));
    const caller = session && (await this.#callerOf(session));
    if (session === undefined || caller === undefined) throw notSignedIn();
    return { session, caller };
  }

  /** The open session's caller now; a key deactivated or deleted ends every session of it. */
  async #callerOf(session: ConsoleSession): Promise<Caller | undefined> {
    if (!this.#sessions.isOpen(session)) return undefined;
    const resolved = await this.#deps.identity.resolveAccessKey(session.accessKeyId);
    if (resolved !== undefined && resolved.active) return resolved.caller;
    this.#sessions.closeKey(session.accessKeyId);
    return undefined;
  }

  async #sessionView(session: ConsoleSession, known?: Caller) {
    const caller = known ?? (await this.#deps.identity.resolveAccessKey(session.accessKeyId))?.caller;
    return {
      accountId: session.accountId,
      arn: caller?.arn,
      userName: caller?.type === 'IAMUser' ? caller.userName : undefined,
      accessKeyId: session.accessKeyId,
      region: session.region,
      regions: CONSOLE_REGIONS.includes(session.region) ? CONSOLE_REGIONS : [session.region, ...CONSOLE_REGIONS],
      expiresAt: new Date(session.expiresMs).toISOString(),
      csrfToken: session.csrfToken,
    };
  }

  #regionOf(req: IncomingMessage, session: ConsoleSession, asked?: string | null): string {
    const header = req.headers[REGION_HEADER];
    const region = asked ?? (typeof header === 'string' && header !== '' ? header : session.region);
    return checkRegion(region);
  }

  async #call(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { session, caller } = await this.#signedIn(req);
    checkCsrf(req, session);
    const region = this.#regionOf(req, session);
    const body = await readBody(req, this.#deps.maxBodyBytes);
    const tls = tlsInfoOf(req);
    // The call as an SDK would send it, without its signature: what the pipeline routes and records.
    const headers: Record<string, string | undefined> = {
      host: req.headers.host,
      'content-type': req.headers['content-type'],
      'x-amz-target': typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined,
      'user-agent': req.headers['user-agent'],
    };
    const request: HttpRequest = { method: 'POST', path: '/', query: '', headers, body, remoteAddress: remoteAddressOf(req), ...(tls && { tls }) };
    const response = await this.#deps.handleCall(request, caller, region);
    const payload = response.bytes ?? response.body;
    res.writeHead(response.status, { ...response.headers, ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  async #streamCaller(req: IncomingMessage, params: URLSearchParams): Promise<StreamCaller> {
    const { session, caller } = await this.#signedIn(req);
    return {
      caller,
      session,
      region: this.#regionOf(req, session, params.get('region')),
      sourceIPAddress: sourceIpOf({ remoteAddress: remoteAddressOf(req) }),
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 1024),
    };
  }

  async #stream(res: ServerResponse, run: () => Promise<void>): Promise<void> {
    this.#streams.add(res);
    res.once('close', () => this.#streams.delete(res));
    await run();
  }

  #streamDeps() {
    const { events, clock, retentionDays, logger } = this.#deps;
    return {
      events,
      clock,
      retentionDays,
      logger,
      invoke: async (call: LocalCall) => this.#deps.invoke(call),
      sessions: this.#sessions,
      stillSignedIn: async (session: ConsoleSession) => (await this.#callerOf(session)) !== undefined,
    };
  }
}
