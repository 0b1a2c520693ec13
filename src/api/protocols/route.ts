/**
 * Step 1 of the pipeline: which service a request is for. First the SigV4 credential scope's
 * service, for protocols routed by it (IAM, STS); then each other protocol's own test, in
 * order (X-Amz-Target for the JSON services, the path for CloudTrail Data). A request whose
 * scope names a service routed the second way (`cloudtrail`) is routed exactly as before.
 */
import type { HttpRequest } from '../http-types.js';
import { credentialScopeService } from './credential-scope.js';
import type { ServiceProtocol } from './service-protocol.js';

export function routeRequest(protocols: readonly ServiceProtocol[], request: HttpRequest): ServiceProtocol | undefined {
  const service = credentialScopeService(request);
  if (service !== undefined) {
    const scoped = protocols.find((p) => p.routing === 'credential-scope' && p.signingName === service);
    if (scoped !== undefined) return scoped;
  }
  return protocols.find((p) => p.routing !== 'credential-scope' && p.matches(request));
}
