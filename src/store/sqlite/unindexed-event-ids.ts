/**
 * The event ids of the log's tail that the lookup index does not hold yet, in the writer
 * thread's memory: an idempotent append (a retried PutAuditEvents) must find its original
 * whether or not the indexer has reached it. Bounded by how far the index may lag.
 *
 * Ids go in as appends write them and stand or fall with their savepoint and transaction; they
 * leave once the index head has passed them.
 */

function keyOf(accountId: string, region: string, eventId: string): string {
  return `${accountId}\u0000${region}\u0000${eventId}`;
}

export class UnindexedEventIds {
  readonly #seqOf = new Map<string, number>();
  /** The same ids in append order, for dropping those the index reached; from #start on. */
  #order: [seq: number, key: string][] = [];
  #start = 0;
  /** Where the open transaction's ids start in #order, and where the open savepoint's do. */
  #transactionMark = 0;
  #savepointMark = 0;

  get size(): number {
    return this.#seqOf.size;
  }

  get(accountId: string, region: string, eventId: string): number | undefined {
    return this.#seqOf.get(keyOf(accountId, region, eventId));
  }

  add(accountId: string, region: string, eventId: string, seq: number): void {
    const key = keyOf(accountId, region, eventId);
    // An id stored twice (appended without the idempotency check) keeps its first position.
    if (this.#seqOf.has(key)) return;
    this.#seqOf.set(key, seq);
    this.#order.push([seq, key]);
  }

  beginTransaction(): void {
    this.#transactionMark = this.#order.length;
    this.#savepointMark = this.#order.length;
  }

  beginSavepoint(): void {
    this.#savepointMark = this.#order.length;
  }

  rollbackSavepoint(): void {
    this.#undoFrom(this.#savepointMark);
  }

  rollbackTransaction(): void {
    this.#undoFrom(this.#transactionMark);
  }

  /** The index holds every event up to `head`: their ids are found there now. */
  indexedUpTo(head: number): void {
    while (this.#start < this.#order.length && this.#order[this.#start]![0] <= head) {
      this.#seqOf.delete(this.#order[this.#start]![1]);
      this.#start++;
    }
    if (this.#start > 4096 && this.#start * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#start);
      this.#transactionMark = Math.max(0, this.#transactionMark - this.#start);
      this.#savepointMark = Math.max(0, this.#savepointMark - this.#start);
      this.#start = 0;
    }
  }

  #undoFrom(mark: number): void {
    for (let i = Math.max(mark, this.#start); i < this.#order.length; i++) this.#seqOf.delete(this.#order[i]![1]);
    this.#order.length = Math.max(mark, this.#start);
  }
}
