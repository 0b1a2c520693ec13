/**
 * ListPublicKeys: the region's digest signing keys whose validity overlaps the range, as
 * `aws cloudtrail validate-logs` needs them: base64 DER PKCS#1 values, MD5 fingerprints. With no
 * range, the current key; a range reaching into the future is fine (the CLI asks for end + 2 h).
 */
import { isInvalidKeyRange, publicKeyValue } from '../../../integrity/keys/index.js';
import { clientError } from '../../../api/errors.js';
import type { OperationSpec } from './operation-spec.js';

export const listPublicKeys: OperationSpec<'ListPublicKeys'> = {
  async handle(input, context) {
    const startMs = input.StartTime === undefined ? undefined : input.StartTime * 1000;
    const endMs = input.EndTime === undefined ? undefined : input.EndTime * 1000;
    if (isInvalidKeyRange(startMs, endMs, context.nowMs)) {
      throw clientError('InvalidTimeRangeException', 'StartTime must be before EndTime.');
    }
    if (input.NextToken !== undefined) throw clientError('InvalidTokenException', 'The NextToken is not valid: every key fits in one page.');
    const keys = await context.services.keyRing.forRange(context.region, startMs, endMs);
    return {
      PublicKeyList: keys.map((key) => ({
        Value: publicKeyValue(key),
        ValidityStartTime: key.validFromMs / 1000,
        ValidityEndTime: key.validToMs / 1000,
        Fingerprint: key.fingerprint,
      })),
    };
  },
};
