/** Why a staged change could not be applied, for either store: the caller rolls back the call's whole commit. */
import type { ConflictReason } from './state-change.js';

export class ChangeConflict extends Error {
  readonly reason: ConflictReason;

  constructor(reason: ConflictReason) {
    super(reason);
    this.reason = reason;
  }
}
