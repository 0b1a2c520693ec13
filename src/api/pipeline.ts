/**
 * The one request pipeline. Every call, to either service, goes through the same steps:
 *
 *   1. route        SigV4 credential scope's service (iam, sts: query protocol), else X-Amz-Target or
 *                   path (cloudtrail JSON 1.1, cloudtrail-data REST-JSON): protocols/route.ts
 *   2. authenticate SigV4 → caller (the key's account is known even when the signature is bad); for
 *                   the web console, its session instead (handleForSession, api/console/)
 *   3. operation    the protocol decodes the operation and its raw input
 *   4. authorize    the caller's IAM-style policies for `<service>:<Operation>` on the resource
 *   5. validate     member types and required members from the generated model
 *   6. invoke       the operation's handler: it reads stores and stages its changes, writes nothing
 *   7. record       the call becomes a CloudTrail record, built and serialised, then appended
 *                   durably together with the staged changes, in one transaction
 *   8. respond      only after step 7 has committed
 *
 * No effect without its record: a handler cannot write a store (it sees read-only ports), so
 * the only way a call changes state is step 7, where the changes commit with the record or not
 * at all. A call that fails, or whose record cannot be built or committed, changes nothing.
 *
 * Failures at steps 3-6 are recorded too (with errorCode), and so are failures at step 2 when
 * the key is known (bounded per key id, see auth-failure-limiter.ts). Before step 2 there is
 * no account to record into.
 */
import type { Logger } from 'pino';
import { apiCallRecord, isReadOnlyOperation, recordMembers } from '../core/api-call-record.js';
import { authFailureSummaryRecord } from '../core/auth-failure-record.js';
import { newGuid } from '../core/ids.js';
import { prepareEvent } from '../core/prepare-event.js';
import type { Caller } from '../iam/caller.js';
import { userIdentityOf } from '../iam/user-identity.js';
import { evaluate } from '../iam/policy/index.js';
import type { PreparedEvent } from '../store/event-store.js';
import { StoreOverloadedError } from '../store/event-store.js';
import type { StateChange } from '../store/state-change.js';
import { StateConflictError } from '../store/state-change.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { authenticate } from './authenticate.js';
import { conditionContextOf, sourceIpOf } from './condition-context.js';
import { errorResponse } from './aws-json.js';
import { ServiceError, protocolErrors } from './errors.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { headerValue } from './http-types.js';
import type { CommitResult, ConflictErrors, OperationContext, PresetAccessKey, ServerServices } from './operation-context.js';
import { cloudTrailDataRest } from '../services/cloudtrail-data/protocol.js';
import { cloudTrailJson } from '../services/cloudtrail/protocol.js';
import { cloudWatch } from '../services/cloudwatch/protocol.js';
import { iamQuery } from '../services/iam/protocol.js';
import { openTrailJson } from '../services/opentrail/protocol.js';
import { organizationsJson } from '../services/organizations/protocol.js';
import { logsJson } from '../services/logs/protocol.js';
import { stsQuery } from '../services/sts/protocol.js';
import { routeRequest } from './protocols/route.js';
import type { DecodedCall, ServiceProtocol } from './protocols/service-protocol.js';
import { safeEventName } from './protocols/service-protocol.js';

/**
 * IAM, STS and CloudWatch are chosen by the credential scope's service; for the others the first
 * match wins: OpenTrail's own targets, Organizations' and CloudWatch Logs' before CloudTrail's,
 * all on `POST /`; CloudTrail answers every other `POST /`.
 */
const PROTOCOLS: readonly ServiceProtocol[] = [iamQuery, stsQuery, cloudWatch, openTrailJson, organizationsJson, logsJson, cloudTrailJson, cloudTrailDataRest];

/**
 * What a console session may call (POST /console/api/call): the AWS JSON services routed by
 * X-Amz-Target alone. The others are chosen by a SigV4 credential scope, which a session has not.
 */
const SESSION_PROTOCOLS: readonly ServiceProtocol[] = [openTrailJson, cloudTrailJson];

/** The signing names of the services answered here; calls signed for any other go to the gateway. */
export const HOSTED_SIGNING_NAMES: ReadonlySet<string> = new Set(PROTOCOLS.map((p) => p.signingName));

export interface PipelineOptions {
  /** Region recorded for a failed call whose credential scope could not be read. */
  defaultRegion: string;
  logger: Logger;
  /** Failed authentications recorded one by one per access key id and minute (default 10). */
  authFailuresPerMinute?: number;
  /** A limiter shared with the gateway, so one key's failures are bounded across both. */
  authFailures?: AuthFailureLimiter;
}

/** A call made without HTTP (RequestPipeline.invokeLocal). */
export interface LocalCall {
  /** The service's SigV4 name (`iam`). */
  service: string;
  operation: string;
  /** The operation's input, as the protocol would have decoded it. */
  input: Record<string, unknown>;
  caller: Caller;
  /** What the record says the call came from. */
  sourceIPAddress: string;
  userAgent: string;
  /** The region the call is made in (default: the server's default region). */
  region?: string;
  /** Made for a web console session (its record says sessionCredentialFromConsole). */
  fromConsole?: boolean;
  /**
   * The key CreateAccessKey is to make instead of a random one: the first start's bootstrap key
   * when the operator named it (OPENTRAIL_BOOTSTRAP_ACCESS_KEY_ID). Never for calls over the wire.
   */
  presetAccessKey?: PresetAccessKey;
}

interface StagedChange {
  change: StateChange;
  conflicts: ConflictErrors;
}

/** One call as it moves through the steps; what its record is built from. */
interface Call {
  request: HttpRequest;
  protocol: ServiceProtocol;
  requestId: string;
  receivedMs: number;
  region: string;
  eventName: string;
  caller?: Caller;
  decoded?: DecodedCall;
  context?: OperationContext;
  output?: unknown;
  error?: ServiceError;
  staged: StagedChange[];
  afterCommit: (() => void)[];
  /** Another account that also gets the call's record (context.shareRecordWith). */
  sharedWith?: string;
  presetAccessKey?: PresetAccessKey;
  /** Set once the call's record is durable (it may ride along with the handler's own events). */
  recorded: boolean;
  /** A web console session's call (handleForSession, or a console stream's opening call). */
  fromConsole?: boolean;
}

const OVERLOADED = 'Too many events are waiting to be recorded; retry with backoff.';

export class RequestPipeline {
  readonly #services: ServerServices;
  readonly #options: PipelineOptions;
  readonly #authFailures: AuthFailureLimiter;

  constructor(services: ServerServices, options: PipelineOptions) {
    this.#services = services;
    this.#options = options;
    this.#authFailures = options.authFailures ?? new AuthFailureLimiter(options.authFailuresPerMinute ?? 10);
  }

  /**
   * A call received now, before anything is known of its caller: recorded in the protocol's
   * region for a global service, else in the default region until authentication names one.
   */
  #newCall(request: HttpRequest, protocol: ServiceProtocol, eventName: string): Call {
    return {
      request,
      protocol,
      requestId: newGuid(),
      receivedMs: this.#services.clock.now(),
      region: protocol.recordRegion ?? this.#options.defaultRegion,
      eventName,
      staged: [],
      afterCommit: [],
      recorded: false,
    };
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    // 1. route
    const routed = routeRequest(PROTOCOLS, request);
    if (routed === undefined) {
      return errorResponse(protocolErrors.unknownOperation(`${request.method} ${request.path}`.slice(0, 200)), newGuid());
    }
    const protocol = routed.forRequest?.(request) ?? routed;
    const call = this.#newCall(request, protocol, protocol.eventNameOf(request));
    try {
      // 2. authenticate
      const auth = await authenticate(request, [protocol.signingName], this.#services.identity, call.receivedMs);
      if (auth.region !== undefined && protocol.recordRegion === undefined) call.region = auth.region;
      if (auth.caller !== undefined) call.caller = auth.caller;
      if (!auth.ok) {
        call.error = auth.error;
        if (auth.caller !== undefined && !this.#authFailures.admit(auth.caller, call.region, auth.error.code, sourceIpOf(request), call.receivedMs)) {
          // Counted for the minute's summary record instead of a record of its own.
          return protocol.error(auth.error, call.requestId);
        }
      } else {
        this.#services.identity.noteKeyUsed(auth.caller, protocol.signingName, call.region, call.receivedMs);
        call.output = await this.#invoke(call, auth.caller, auth.region);
      }
    } catch (error) {
      call.error = this.#asServiceError(error, call);
    }
    return this.#finish(call);
  }

  /**
   * A call of a console session (the web console's POST /console/api/call): every step but the
   * second, which the session stands in for. The session's key was resolved again just before,
   * so a deactivated key stops its sessions too. `request` is the call as an SDK would send it
   * (path `/`, X-Amz-Target, JSON body), unsigned; `region` is the console's.
   */
  async handleForSession(request: HttpRequest, caller: Caller, region: string): Promise<HttpResponse> {
    const protocol = routeRequest(SESSION_PROTOCOLS, request);
    if (protocol === undefined) {
      return errorResponse(protocolErrors.unknownOperation(`${request.method} ${request.path}`.slice(0, 200)), newGuid());
    }
    const call = this.#newCall(request, protocol, protocol.eventNameOf(request));
    if (protocol.recordRegion === undefined) call.region = region;
    call.caller = caller;
    call.fromConsole = true;
    try {
      this.#services.identity.noteKeyUsed(caller, protocol.signingName, call.region, call.receivedMs);
      call.output = await this.#invoke(call, caller, region);
    } catch (error) {
      call.error = this.#asServiceError(error, call);
    }
    return this.#finish(call);
  }

  /**
   * Appends the summary records of failed authentications not recorded one by one, for the
   * minutes that have ended (every minute with `all`, at shutdown). Called periodically.
   */
  async recordAuthFailureSummaries(all = false): Promise<void> {
    const nowMs = this.#services.clock.now();
    const summaries = this.#authFailures.takeEnded(nowMs, all);
    if (summaries.length === 0) return;
    const records = summaries.map((s) =>
      prepareEvent(
        s.caller.accountId,
        s.region,
        authFailureSummaryRecord({
          ...s,
          identity: userIdentityOf(s.caller),
          recipientAccountId: s.caller.accountId,
          eventSource: cloudTrailJson.eventSource,
          eventId: newGuid(),
          timeMs: Math.min(nowMs, s.windowEndMs),
        }),
      ),
    );
    try {
      await this.#services.events.append(records);
    } catch (error) {
      // Not lost: the counts wait for the next pass (the caller logs the failure).
      this.#authFailures.putBack(summaries);
      throw error;
    }
  }

  /**
   * Steps 4-8 for a call made on this machine without HTTP: the admin CLI acting on the data
   * directory as the account itself (docs/identity.md). The call is authorized, validated,
   * invoked and recorded with its staged changes exactly as over the wire; it answers its
   * output, or throws the ServiceError a client would have got.
   */
  async invokeLocal(local: LocalCall): Promise<unknown> {
    const protocol = PROTOCOLS.find((p) => p.signingName === local.service && p.hasOperation?.(local.operation) !== false);
    if (protocol === undefined) throw protocolErrors.unknownOperation(local.service);
    const request: HttpRequest = {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'user-agent': local.userAgent },
      body: Buffer.alloc(0),
      remoteAddress: local.sourceIPAddress,
    };
    const call: Call = {
      ...this.#newCall(request, protocol, safeEventName(local.operation)),
      ...(local.region !== undefined && protocol.recordRegion === undefined && { region: local.region }),
      ...(local.fromConsole === true && { fromConsole: true }),
      caller: local.caller,
      ...(local.presetAccessKey !== undefined && { presetAccessKey: local.presetAccessKey }),
    };
    try {
      call.output = await this.#run(call, local.caller, { operation: local.operation, input: local.input }, call.region);
    } catch (error) {
      call.error = this.#asServiceError(error, call);
    }
    const failure = await this.#record(call, local.caller);
    if (failure !== undefined) throw failure;
    if (call.error !== undefined) throw call.error;
    for (const effect of call.afterCommit) effect();
    return call.output;
  }

  /** Steps 3-6; `requestedRegion` is the credential scope's, whatever region the call is recorded in. */
  async #invoke(call: Call, caller: Caller, requestedRegion: string): Promise<unknown> {
    // 3. operation
    return this.#run(call, caller, call.protocol.decode(call.request), requestedRegion);
  }

  /** Steps 4-6 of a decoded call. */
  async #run(call: Call, caller: Caller, decoded: DecodedCall, requestedRegion: string): Promise<unknown> {
    const protocol = call.protocol;
    call.decoded = decoded;
    const context: OperationContext = {
      caller,
      region: call.region,
      requestId: call.requestId,
      nowMs: call.receivedMs,
      services: this.#services,
      conditions: conditionContextOf(caller, call.request, requestedRegion, call.receivedMs),
      resources: [],
      stage: (change, conflicts = {}) => {
        if (call.recorded) throw new Error('a change was staged after the call was recorded');
        call.staged.push({ change, conflicts });
      },
      afterCommit: (effect) => call.afterCommit.push(effect),
      shareRecordWith: (accountId) => {
        if (accountId !== caller.accountId) call.sharedWith = accountId;
      },
      commitWithCallRecord: async (events) => this.#commitWithCallRecord(call, events),
      ...(call.presetAccessKey !== undefined && { presetAccessKey: call.presetAccessKey }),
    };
    call.context = context;
    // 4. authorize
    const action = `${protocol.signingName}:${decoded.operation}`;
    const resource = await protocol.authorizationResource(decoded, context);
    if (protocol.requiresAuthorization?.(decoded) !== false) {
      const decision = evaluate({ action, resource, context: context.conditions }, await this.#services.identity.policiesOf(caller));
      if (decision !== 'Allow') throw protocolErrors.accessDenied(caller.arn, action, resource, decision === 'ExplicitDeny');
    }
    // 5 and 6. validate and invoke
    return protocol.invoke(decoded, context);
  }

  /** Steps 7 and 8: record the call (when its account is known) with its changes, then answer. */
  async #finish(call: Call): Promise<HttpResponse> {
    if (call.caller !== undefined && !call.recorded) {
      const failure = await this.#record(call, call.caller);
      if (failure !== undefined) return call.protocol.error(failure, call.requestId);
    }
    if (call.error !== undefined) return call.protocol.error(call.error, call.requestId);
    for (const effect of call.afterCommit) effect();
    return call.protocol.ok(call.output, call.requestId, call.decoded);
  }

  /**
   * Builds the record, then commits it with the staged changes (none for a failed call). A
   * change in conflict at commit time turns the call into a failure, recorded as such.
   * Returns the error to answer when the call could not be recorded at all.
   */
  async #record(call: Call, caller: Caller): Promise<ServiceError | undefined> {
    try {
      let records = this.#buildRecords(call, caller);
      try {
        await this.#services.events.append(records, call.error === undefined ? call.staged.map((s) => s.change) : []);
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        this.#fail(call, conflictError(call.staged, error));
        records = this.#buildRecords(call, caller);
        await this.#services.events.append(records);
      }
      call.recorded = true;
      return undefined;
    } catch (error) {
      // Never answer a call whose record is not durable as if all were well; nothing of it happened.
      if (error instanceof StoreOverloadedError) return protocolErrors.throttling(OVERLOADED);
      this.#options.logger.error({ err: error, requestId: call.requestId }, 'recording the call failed');
      return protocolErrors.internal();
    }
  }

  async #commitWithCallRecord(call: Call, events: readonly PreparedEvent[]): Promise<CommitResult> {
    if (call.recorded || call.caller === undefined) throw new Error('commitWithCallRecord used twice or without a caller');
    let result;
    try {
      result = await this.#services.events.append([...events, this.#callRecord(call, call.caller)], call.staged.map((s) => s.change));
    } catch (error) {
      if (error instanceof StateConflictError) throw conflictError(call.staged, error);
      throw error;
    }
    call.recorded = true;
    return { events: result.events.slice(0, events.length), callSeq: result.events[events.length]!.seq };
  }

  /**
   * The call's record, serialised. When it cannot be built from what the call carried (input
   * that cannot be serialised), the call fails, and its record keeps who, what and when
   * without the parameters: a call is never left without a record because of its input.
   */
  #buildRecords(call: Call, caller: Caller): PreparedEvent[] {
    try {
      return this.#callRecords(call, caller);
    } catch (error) {
      this.#options.logger.error({ err: error, requestId: call.requestId }, 'the call record could not be built from its input');
      if (call.error === undefined) this.#fail(call, protocolErrors.internal());
      return this.#callRecords(call, caller, { withoutParameters: true });
    }
  }

  /**
   * The call's record, and when the call acted on another account's resource (a role assumed
   * across accounts), CloudTrail's copy for that account: the same call, recipientAccountId that
   * account, the caller seen from there as an AWSAccount, both copies joined by one sharedEventID.
   */
  #callRecords(call: Call, caller: Caller, options: { withoutParameters?: boolean } = {}): PreparedEvent[] {
    if (call.sharedWith === undefined) return [this.#callRecord(call, caller, options)];
    const sharedEventId = newGuid();
    return [
      this.#callRecord(call, caller, { ...options, sharedEventId }),
      this.#callRecord(call, caller, { ...options, sharedEventId, recipientAccountId: call.sharedWith }),
    ];
  }

  /** The call fails: nothing it staged or scheduled will happen, and it answers no output. */
  #fail(call: Call, error: ServiceError): void {
    call.error = error;
    call.output = undefined;
    call.staged = [];
    call.afterCommit = [];
  }

  #callRecord(
    call: Call,
    caller: Caller,
    options: { withoutParameters?: boolean; sharedEventId?: string; recipientAccountId?: string } = {},
  ): PreparedEvent {
    const recipient = options.recipientAccountId ?? caller.accountId;
    const identity =
      recipient === caller.accountId ? userIdentityOf(caller) : { type: 'AWSAccount', principalId: caller.principalId, accountId: caller.accountId };
    const readOnly = call.protocol.readOnly?.(call.eventName) ?? isReadOnlyOperation(call.eventName);
    const recordsResponse = call.protocol.recordsResponse?.(call.eventName) ?? !readOnly;
    const output = call.output;
    const hasOutput = output !== null && typeof output === 'object' && Object.keys(output).length > 0;
    const host = headerValue(call.request, 'host') ?? '';
    const record = apiCallRecord({
      identity,
      recipientAccountId: recipient,
      region: call.region,
      eventSource: call.protocol.eventSource,
      eventName: call.eventName,
      timeMs: call.receivedMs,
      sourceIPAddress: sourceIpOf(call.request),
      userAgent: (headerValue(call.request, 'user-agent') ?? '').slice(0, 1024),
      requestParameters:
        call.decoded === undefined || options.withoutParameters === true ? null : call.protocol.recordedParameters(call.decoded, call.error),
      responseElements:
        recordsResponse && call.error === undefined && hasOutput && options.withoutParameters !== true ? this.#responseElements(call, output) : null,
      ...(call.error !== undefined && { error: { code: recordedErrorCode(call.error.code), message: call.error.message } }),
      requestId: call.requestId,
      eventId: newGuid(),
      readOnly,
      ...(call.context !== undefined && { resources: call.context.resources }),
      ...(call.request.tls !== undefined && { tls: { ...call.request.tls, clientProvidedHostHeader: host } }),
      ...(options.sharedEventId !== undefined && { sharedEventId: options.sharedEventId }),
      ...(call.protocol.dataEvent?.(call.eventName) === true && { dataEvent: true }),
      ...(call.fromConsole === true && { fromConsole: true }),
    });
    return prepareEvent(recipient, call.region, record);
  }

  #responseElements(call: Call, output: unknown): Record<string, unknown> | null {
    const { protocol, decoded } = call;
    if (protocol.recordedResponse !== undefined && decoded !== undefined) return protocol.recordedResponse(decoded, output);
    return recordMembers(output) as Record<string, unknown>;
  }

  #asServiceError(error: unknown, call: Call): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof StoreOverloadedError) return protocolErrors.throttling(OVERLOADED);
    this.#options.logger.error({ err: error, requestId: call.requestId, operation: call.eventName }, 'operation failed');
    return protocolErrors.internal();
  }
}

/** The error the handler named for this conflict, or a generic one. */
function conflictError(staged: readonly StagedChange[], error: StateConflictError): ServiceError {
  const named = staged.find((s) => s.change === error.change)?.conflicts[error.reason];
  return named ?? new ServiceError('ConflictException', `The resource changed while the request was processed (${error.message}); retry.`);
}

/** CloudTrail records a denied call with errorCode AccessDenied. */
function recordedErrorCode(code: string): string {
  return code === 'AccessDeniedException' ? 'AccessDenied' : code;
}
