/**
 * Temporary credentials, as AssumeRole and GetSessionToken issue them: an ASIA access key id, a
 * 40-character secret and a long random session token. The session is staged (createSession)
 * and so exists only once the call's record is committed; the store keeps the secret sealed and
 * only a hash of the token. The plaintext goes to the client once, in the answer.
 */
import { newIamId, newSecretAccessKey, newSessionToken } from '../../../core/ids.js';
import type { SessionIssuer } from '../../../iam/identity-store.js';
import { sessionTokenHash } from '../../../iam/session-credentials.js';
import type { OperationContext } from '../../../api/operation-context.js';
import { ServiceError } from '../../../api/errors.js';
import type { Credentials } from '../model.gen.js';

export interface SessionRequest {
  accountId: string;
  issuer: SessionIssuer;
  sessionName?: string;
  durationSeconds: number;
  mfaAuthenticated: boolean;
}

export function issueCredentials(request: SessionRequest, context: OperationContext): Credentials {
  const accessKeyId = newIamId('ASIA');
  const secretAccessKey = newSecretAccessKey();
  const sessionToken = newSessionToken();
  // Whole seconds: the wire and the record show seconds, and the session must not outlive them.
  const expiresAt = Math.floor(context.nowMs / 1000) * 1000 + request.durationSeconds * 1000;
  context.stage(
    {
      kind: 'createSession',
      session: {
        accessKeyId,
        accountId: request.accountId,
        secretSealed: context.services.identity.sealSecret(secretAccessKey),
        tokenHash: sessionTokenHash(sessionToken),
        issuer: request.issuer,
        ...(request.sessionName !== undefined && { sessionName: request.sessionName }),
        mfaAuthenticated: request.mfaAuthenticated,
        issuedWithAccessKeyId: context.caller.accessKeyId,
        createdAt: context.nowMs,
        expiresAt,
      },
    },
    // A random 20-character key id taken meanwhile: practically never; the client may retry.
    { exists: new ServiceError('InternalFailure', 'The temporary credentials could not be issued; retry the request.', 500) },
  );
  return { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: expiresAt / 1000 };
}
