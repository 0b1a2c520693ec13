/**
 * The fault that shows "no effect without its record": while `action` runs, the server's
 * database refuses every record of one operation (a trigger on `events`), so that call's
 * commit fails as a full disk or a broken database would make it fail.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export async function withRecordRefused<T>(dataDir: string, eventName: string, action: () => T | Promise<T>): Promise<T> {
  const db = new Database(join(dataDir, 'opentrail.db'));
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TRIGGER refuse_record BEFORE INSERT ON events WHEN NEW.event_name = '${eventName}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
  try {
    return await action();
  } finally {
    db.exec('DROP TRIGGER refuse_record');
    db.close();
  }
}
