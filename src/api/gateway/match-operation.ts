/**
 * Which operation of a fronted service a request is, from the service's generated routes. Pure:
 * no I/O, and never throws, whatever the request holds.
 *
 * - REST (rest-xml, rest-json): the method, the requestUri's path template segment by segment
 *   (`{Label}` one non-empty segment, `{Label+}` the non-empty rest, slashes included; one
 *   trailing slash after a template without a greedy label is accepted: `/bucket/` is the bucket)
 *   and the template's query markers (`?uploads`: present; `?list-type=2`: that value). `x-id`
 *   markers are ignored: newer SDKs send them, older clients (aws-cli v1) do not. Of several
 *   candidates the most specific wins: more literal path characters, then more query markers, then
 *   fewer required header and query members missing, then more of them present (CopyObject over
 *   PutObject when `x-amz-copy-source` is there, UploadPart over PutObject when `partNumber` and
 *   `uploadId` are), then a current operation over a deprecated one, then the model's order.
 * - json: `X-Amz-Target: <targetPrefix>.<Operation>`. SQS, which answers clients that still speak
 *   the query protocol to it (its model is awsQueryCompatible), is also matched by `Action`.
 * - query and ec2: `Action` from the query string, else from an
 *   `application/x-www-form-urlencoded` body.
 */
import { eventNameOf } from './cloudtrail-names.js';
import type { GatewayOperationRoute, GatewayRequestView, GatewayServiceModel, MatchedOperation } from './contract.js';

type Segment = { kind: 'literal'; text: string } | { kind: 'label'; name: string } | { kind: 'greedy'; name: string };

interface Marker {
  name: string;
  value?: string;
}

interface CompiledRoute {
  route: GatewayOperationRoute;
  index: number;
  segments: Segment[];
  markers: Marker[];
  literalChars: number;
  /** Lower-case header names of required header-bound members. */
  requiredHeaders: string[];
  requiredQuery: string[];
}

interface CompiledModel {
  routes: CompiledRoute[];
  names: ReadonlySet<string>;
}

const compiled = new WeakMap<GatewayServiceModel, CompiledModel>();

/** Query-protocol compatible json services (botocore's `awsQueryCompatible`), by signing name. */
const QUERY_COMPATIBLE = new Set(['sqs']);

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function decodeForm(value: string): string {
  return decode(value.replace(/\+/g, ' '));
}

function compileRoute(route: GatewayOperationRoute, index: number): CompiledRoute {
  const questionMark = route.requestUri.indexOf('?');
  const pathPart = questionMark < 0 ? route.requestUri : route.requestUri.slice(0, questionMark);
  const queryPart = questionMark < 0 ? '' : route.requestUri.slice(questionMark + 1);
  const segments: Segment[] = [];
  let literalChars = 0;
  for (const text of pathPart.split('/').slice(1)) {
    if (text === '' && segments.length === 0) continue; // `/`
    literalChars += 1; // the slash
    const label = /^\{([^}]+?)(\+?)\}$/.exec(text);
    if (label?.[1] !== undefined) {
      segments.push(label[2] === '+' ? { kind: 'greedy', name: label[1] } : { kind: 'label', name: label[1] });
    } else {
      segments.push({ kind: 'literal', text });
      literalChars += text.length;
    }
  }
  if (pathPart === '/') literalChars = 1;
  const markers: Marker[] = [];
  for (const part of queryPart.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals < 0 ? part : part.slice(0, equals);
    if (name === 'x-id') continue;
    markers.push(equals < 0 ? { name } : { name, value: part.slice(equals + 1) });
  }
  const requiredHeaders: string[] = [];
  const requiredQuery: string[] = [];
  for (const member of route.bound) {
    if (member.required !== true) continue;
    if (member.location === 'header') requiredHeaders.push(member.wireName.toLowerCase());
    else if (member.location === 'querystring') requiredQuery.push(member.wireName);
  }
  return { route, index, segments, markers, literalChars, requiredHeaders, requiredQuery };
}

function compile(model: GatewayServiceModel): CompiledModel {
  let result = compiled.get(model);
  if (result !== undefined) return result;
  const routes = model.operations.map(compileRoute);
  result = { routes, names: new Set(model.operations.map((route) => route.name)) };
  compiled.set(model, result);
  return result;
}

/** The query string's parameters: name → values, form-decoded. */
function parseQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decodeForm(equals < 0 ? part : part.slice(0, equals));
    const value = equals < 0 ? '' : decodeForm(part.slice(equals + 1));
    const values = params.get(name);
    if (values === undefined) params.set(name, [value]);
    else values.push(value);
  }
  return params;
}

function header(request: GatewayRequestView, name: string): string | undefined {
  const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
  return Array.isArray(value) ? value[0] : value;
}

/** The raw path's segments: `/` → [], `/a/b` → [a, b], `/a/` → [a, '']. */
function pathSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const rest = path.slice(1);
  return rest === '' ? [] : rest.split('/');
}

function matchPath(segments: readonly Segment[], raw: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (segment.kind === 'greedy') {
      const rest = raw.slice(i).join('/');
      if (rest === '') return undefined;
      params[segment.name] = decode(rest);
      return params;
    }
    const value = raw[i];
    if (value === undefined || value === '') return undefined;
    if (segment.kind === 'literal') {
      if (value !== segment.text && decode(value) !== segment.text) return undefined;
    } else {
      params[segment.name] = decode(value);
    }
  }
  const extra = raw.length - segments.length;
  if (extra === 0 || (extra === 1 && raw[raw.length - 1] === '' && segments.length > 0)) return params;
  return undefined;
}

interface Candidate {
  compiled: CompiledRoute;
  params: Record<string, string>;
  missing: number;
  present: number;
}

function better(a: Candidate, b: Candidate): boolean {
  const x = a.compiled;
  const y = b.compiled;
  if (x.literalChars !== y.literalChars) return x.literalChars > y.literalChars;
  if (x.markers.length !== y.markers.length) return x.markers.length > y.markers.length;
  if (a.missing !== b.missing) return a.missing < b.missing;
  if (a.present !== b.present) return a.present > b.present;
  const xDeprecated = x.route.deprecated === true;
  if (xDeprecated !== (y.route.deprecated === true)) return !xDeprecated;
  return x.index < y.index;
}

function matchRest(model: GatewayServiceModel, request: GatewayRequestView): MatchedOperation | undefined {
  const raw = pathSegments(request.path);
  if (raw === undefined) return undefined;
  const method = request.method.toUpperCase();
  const query = parseQuery(request.query);
  let best: Candidate | undefined;
  for (const route of compile(model).routes) {
    if (route.route.method !== method) continue;
    if (!route.markers.every((marker) => marker.value === undefined ? query.has(marker.name) : (query.get(marker.name)?.includes(marker.value) ?? false))) continue;
    const params = matchPath(route.segments, raw);
    if (params === undefined) continue;
    let missing = 0;
    let present = 0;
    for (const name of route.requiredHeaders) {
      if (header(request, name) === undefined) missing++;
      else present++;
    }
    for (const name of route.requiredQuery) {
      if (query.has(name)) present++;
      else missing++;
    }
    const candidate = { compiled: route, params, missing, present };
    if (best === undefined || better(candidate, best)) best = candidate;
  }
  if (best === undefined) return undefined;
  const operation = best.compiled.route.name;
  return { operation, eventName: eventNameOf(model, operation), uriParams: best.params };
}

/** The X-Amz-Target's operation when the prefix is the model's, else undefined. */
function targetOperation(model: GatewayServiceModel, request: GatewayRequestView): string | undefined {
  const target = header(request, 'x-amz-target');
  if (target === undefined || model.targetPrefix === undefined) return undefined;
  const prefix = `${model.targetPrefix}.`;
  return target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
}

function isForm(request: GatewayRequestView): boolean {
  const contentType = header(request, 'content-type');
  return contentType !== undefined && /^\s*application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType);
}

/** The `Action` parameter, from the query string or else a form body. */
function actionOf(request: GatewayRequestView): string | undefined {
  const fromQuery = parseQuery(request.query).get('Action')?.[0];
  if (fromQuery !== undefined) return fromQuery;
  if (request.body === undefined || !isForm(request)) return undefined;
  return parseQuery(request.body.toString('latin1')).get('Action')?.[0];
}

function named(model: GatewayServiceModel, operation: string | undefined): MatchedOperation | undefined {
  if (operation === undefined || !compile(model).names.has(operation)) return undefined;
  return { operation, eventName: eventNameOf(model, operation), uriParams: {} };
}

/** The operation `request` is a call of, or undefined when none of the model's fits. */
export function matchOperation(model: GatewayServiceModel, request: GatewayRequestView): MatchedOperation | undefined {
  try {
    switch (model.protocol) {
      case 'rest-xml':
      case 'rest-json':
        return matchRest(model, request);
      case 'json': {
        const target = targetOperation(model, request);
        if (target !== undefined) return named(model, target);
        if (header(request, 'x-amz-target') === undefined && QUERY_COMPATIBLE.has(model.signingName)) return named(model, actionOf(request));
        return undefined;
      }
      case 'query':
      case 'ec2':
        return named(model, actionOf(request));
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

const MAX_NAME = 128;
const OPERATION_LIKE = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
const SAFE = /^[A-Za-z0-9_.:-]+$/;
const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);

/** How many leading segments of `raw` the template fits (all of them past a greedy label). */
function leadingFit(segments: readonly Segment[], raw: readonly string[]): number {
  let i = 0;
  for (; i < segments.length && i < raw.length; i++) {
    const segment = segments[i];
    const value = raw[i];
    if (segment === undefined || value === undefined || value === '') break;
    if (segment.kind === 'greedy') return raw.length;
    if (segment.kind === 'literal' && segment.text !== value) break;
  }
  return i;
}

/** The decoded path's segments named by the template that fits most of them; `x` past its fit. */
function pathShape(routes: readonly CompiledRoute[], raw: readonly string[]): string[] {
  let best: CompiledRoute | undefined;
  let bestFit = 0;
  for (const route of routes) {
    const fit = leadingFit(route.segments, raw);
    if (fit > bestFit) {
      best = route;
      bestFit = fit;
    }
  }
  const shape: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const segment = i < bestFit ? best?.segments[i] : undefined;
    if (segment === undefined) {
      if (raw[i] !== '') shape.push('x');
      continue;
    }
    const text = segment.kind === 'literal' ? segment.text : segment.name;
    shape.push(SAFE.test(text) ? text : 'x');
    if (segment.kind === 'greedy') break;
  }
  return shape;
}

/**
 * A name for a call no operation matched: the X-Amz-Target's operation part or the Action when
 * they look like an operation name, else `<METHOD>:<path shape>` built from the model's own path
 * segments and label names (`PUT:Bucket.Key`, `GET:2015-03-31.functions.FunctionName.x`, `x` for a
 * segment no template has there). Never more than 128 characters, only `[A-Za-z0-9_.:-]`, and no
 * text of the request beyond what the model itself names.
 */
export function fallbackEventName(model: GatewayServiceModel, request: GatewayRequestView): string {
  try {
    const target = header(request, 'x-amz-target');
    if (target !== undefined) {
      const suffix = target.slice(target.lastIndexOf('.') + 1);
      if (OPERATION_LIKE.test(suffix)) return suffix;
    }
    const action = model.protocol === 'rest-xml' || model.protocol === 'rest-json' ? undefined : actionOf(request);
    if (action !== undefined && OPERATION_LIKE.test(action)) return action;
    const method = METHODS.has(request.method.toUpperCase()) ? request.method.toUpperCase() : 'UNKNOWN';
    const raw = (pathSegments(request.path) ?? []).slice(0, 32).map(decode);
    const shape = pathShape(compile(model).routes, raw);
    const name = `${method}:${shape.length === 0 ? 'root' : shape.join('.')}`;
    return name.length <= MAX_NAME ? name : name.slice(0, MAX_NAME);
  } catch {
    return 'UNKNOWN:root';
  }
}
