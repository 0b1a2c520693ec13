/**
 * The lease port: which node runs a piece of work (a worker kind, a trail's delivery) when
 * several share one database. A lease has a name, a holder and an expiry on the database's
 * clock (so nodes' clocks need not agree). A holder renews before expiry; a holder that dies
 * stops renewing and another takes the lease once it has expired.
 */
export interface LeaseStore {
  /** Takes the lease, or renews it when `holder` has it; false while another holder's lease runs. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (clean shutdown), if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds the lease now, if anyone's lease is unexpired. */
  holderOf(name: string): Promise<string | undefined>;
}
