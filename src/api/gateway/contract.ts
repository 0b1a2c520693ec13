/**
 * The contract between the gateway's parts (see docs/gateway.md):
 *
 *   services/<service>/routes.gen.ts  what each operation of a gatewayed service looks like on the wire
 *   api/gateway/match-operation.ts    which operation a request is (from those routes)
 *   api/gateway/record-form/          the CloudTrail record fields of a forwarded call
 *   api/gateway/forward.ts            the proxy itself: authenticate, authorize, forward, record, release
 *
 * Types only: each part depends on these, not on each other.
 */
import type { RecordResource } from '../../core/record.js';

/** botocore's protocols, as the services the gateway fronts use them. */
export type GatewayProtocol = 'rest-xml' | 'rest-json' | 'json' | 'query' | 'ec2';

/** A member of an operation's input bound outside the body. */
export interface BoundMember {
  /** The member's name in the model (`Bucket`, `Key`, `UploadId`). */
  member: string;
  /** Where it travels: a URI label, a query parameter or a header, by its wire name. */
  location: 'uri' | 'querystring' | 'header';
  /** The wire name: the URI label (`Key`), the query parameter (`uploadId`), the header (`x-amz-acl`). */
  wireName: string;
  /**
   * True when the input shape requires the member. The matcher needs it: S3's CopyObject differs
   * from PutObject on the wire only by its required `x-amz-copy-source` header, UploadPart from
   * PutObject only by its required `partNumber` and `uploadId` parameters.
   */
  required?: boolean;
}

export interface GatewayOperationRoute {
  /** The botocore operation name (`PutObject`). */
  name: string;
  /** HTTP method; `POST` for json, query and ec2 services. */
  method: string;
  /** botocore's requestUri, e.g. `/{Bucket}/{Key+}?uploads` (`/` for json, query, ec2). */
  requestUri: string;
  /** The members bound to the URI, query string and headers (REST protocols only). */
  bound: readonly BoundMember[];
  /** The input member that is the raw body (S3 PutObject's `Body`), if any. */
  payloadMember?: string;
  /** True when the output's payload is a blob or event stream (GetObject): never buffered. */
  streamingOutput?: boolean;
  /**
   * True when the model marks the operation deprecated. The matcher prefers the current operation
   * when two share a route (S3's GetBucketLifecycle and GetBucketLifecycleConfiguration).
   */
  deprecated?: boolean;
}

export interface GatewayServiceModel {
  /** SigV4 signing name: what the credential scope names (`s3`, `ec2`). */
  signingName: string;
  /** CloudTrail's eventSource for the service (`s3.amazonaws.com`). */
  eventSource: string;
  protocol: GatewayProtocol;
  apiVersion: string;
  /** JSON protocol: the X-Amz-Target prefix (`DynamoDB_20120810`). */
  targetPrefix?: string;
  jsonVersion?: string;
  operations: readonly GatewayOperationRoute[];
}

/** What a request was found to be. */
export interface MatchedOperation {
  /** The model's operation name (`ListObjectsV2`). */
  operation: string;
  /** The name CloudTrail records (`ListObjects`; Lambda's `Invoke`, `GetFunction20150331v2`). */
  eventName: string;
  /** Values of the URI labels, percent-decoded (`{ Bucket: 'finance', Key: 'q3.pdf' }`). */
  uriParams: Readonly<Record<string, string>>;
}

/** A request as the gateway hands it to the matcher and the record form: S3 always in path style. */
export interface GatewayRequestView {
  method: string;
  /** Raw path (percent-encoded), path style: `/finance/q3.pdf`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The Host header as the client sent it (virtual-hosted S3 keeps the bucket in it). */
  host: string;
  /**
   * The whole body, for services whose bodies the gateway buffers (every service but S3, whose
   * bodies stream): JSON and query protocol inputs are read from it. Undefined when streamed.
   */
  body?: Buffer;
  /** Bytes of payload received from the client (decoded length for aws-chunked uploads). */
  bytesIn: number;
}

/** The upstream's answer, as far as the record needs it. */
export interface GatewayResponseView {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body when it was buffered: always for errors (status ≥ 300 except 304) and for the
   * services whose bodies the gateway buffers; undefined for streamed S3 payloads.
   */
  body?: Buffer;
  /** Bytes of body sent to the client (Content-Length when streamed). */
  bytesOut: number;
}

/** How the caller signed (additionalEventData.AuthenticationMethod). */
export type AuthenticationMethod = 'AuthHeader' | 'QueryString';

/** The signature scheme of the caller: SigV4, or S3's SigV2 (S3 only). */
export type SignatureVersion = 'SigV4' | 'SigV2';

export interface ForwardedCall {
  model: GatewayServiceModel;
  /** Undefined when no operation of the model matched: still forwarded and recorded. */
  matched?: MatchedOperation;
  request: GatewayRequestView;
  /** Undefined when the call never reached the upstream (denied, upstream down). */
  response?: GatewayResponseView;
  /** The region of the credential scope. */
  region: string;
  /** The account recorded as owning the resources: the caller's (the gateway does not ask the upstream who owns what). */
  resourceAccountId: string;
  authenticationMethod: AuthenticationMethod;
  /** How the caller's signature was made (additionalEventData.SignatureVersion); SigV4 when absent. */
  signatureVersion?: SignatureVersion;
  /** TLS facts of the client connection, when it used TLS. */
  cipherSuite?: string;
}

/** An error as the upstream (or the gateway) answered it. */
export interface UpstreamError {
  code: string;
  message: string;
}

/** The service-specific fields of a forwarded call's CloudTrail record. */
export interface RecordForm {
  eventName: string;
  readOnly: boolean;
  eventCategory: 'Management' | 'Data';
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  resources: RecordResource[];
  /** From the upstream's error answer, when it failed. */
  error?: UpstreamError;
  /** The upstream's request id (x-amz-request-id, x-amzn-RequestId, or from the body). */
  requestId?: string;
}
