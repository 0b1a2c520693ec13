/**
 * The IngestionStatus GetChannel reports: the latest attempt and success per channel. Kept in
 * memory (it is advisory and would otherwise cost a write per call); it starts empty after a
 * restart.
 */
import type { IngestionStatus } from '../services/cloudtrail/model.gen.js';

export type { IngestionStatus };

export class IngestionStatusBoard {
  readonly #byChannel = new Map<string, IngestionStatus>();

  get(channelArn: string): IngestionStatus {
    return { ...this.#byChannel.get(channelArn) };
  }

  /** `lastEventId` of the attempt; `errorCode` of its first failed event, if any. */
  noteAttempt(channelArn: string, timeSeconds: number, lastEventId: string | undefined, lastSuccessEventId: string | undefined, errorCode: string | undefined): void {
    const status = this.#byChannel.get(channelArn) ?? {};
    status.LatestIngestionAttemptTime = timeSeconds;
    if (lastEventId !== undefined) status.LatestIngestionAttemptEventID = lastEventId;
    if (lastSuccessEventId !== undefined) {
      status.LatestIngestionSuccessTime = timeSeconds;
      status.LatestIngestionSuccessEventID = lastSuccessEventId;
    }
    if (errorCode !== undefined) status.LatestIngestionErrorCode = errorCode;
    this.#byChannel.set(channelArn, status);
  }

  forget(channelArn: string): void {
    this.#byChannel.delete(channelArn);
  }
}
