/**
 * `opentrail migrate-store --to postgres://...`: copies the embedded SQLite store (the configured
 * one, or --from) into an empty PostgreSQL database, for moving to several nodes
 * (docs/deployment.md), then compares every table's row count and SHA-256 on both sides and
 * prints them; any difference fails the command. `--verify-only` compares without copying.
 * Stop the server first: the copy is of the file as it is while the command reads it.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, sqliteFileOf, storeKindOf } from '../config/config.js';
import { copyStore, mismatches, openSource, verifyStore } from '../store/migrate/copy-store.js';
import type { TableReport } from '../store/migrate/copy-store.js';
import { openPool } from '../store/postgres/pool.js';
import { configFlags, withConfigOptions } from './options.js';
import type { ConfigOptions } from './options.js';

interface MigrateOptions extends ConfigOptions {
  from?: string;
  to: string;
  verifyOnly?: boolean;
}

function reportTable(reports: readonly TableReport[]): string {
  const lines = ['| table | rows (SQLite) | rows (PostgreSQL) | SHA-256 (SQLite) | SHA-256 (PostgreSQL) | same |', '|---|---|---|---|---|---|'];
  for (const r of reports) {
    const same = r.source.rows === r.target.rows && r.source.sha256 === r.target.sha256;
    lines.push(`| ${r.table} | ${r.source.rows} | ${r.target.rows} | ${r.source.sha256.slice(0, 16)} | ${r.target.sha256.slice(0, 16)} | ${same ? 'yes' : 'NO'} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerMigrateStoreCommand(program: Command): void {
  withConfigOptions(program.command('migrate-store').description('copy the embedded SQLite store into an empty PostgreSQL database, verified by row counts and hashes'))
    .option('--from <url>', 'the SQLite store to copy (default: the configured store, sqlite: in the data directory)')
    .requiredOption('--to <url>', 'the PostgreSQL database: postgres://user@host:port/database')
    .option('--verify-only', 'compare the two stores table by table without copying')
    .action(async (o: MigrateOptions) => {
      const config = loadConfig(configFlags(o), process.env, o.config);
      const source = { ...config, store: o.from ?? config.store };
      if (storeKindOf(source) !== 'sqlite') throw new ConfigError(`--from must name a SQLite store, got "${source.store}"`);
      if (storeKindOf({ store: o.to }) !== 'postgres') throw new ConfigError(`--to must be a postgres:// URL, got "${o.to}"`);
      const file = sqliteFileOf(source);
      if (!existsSync(file)) throw new ConfigError(`no SQLite store at ${file}`);
      const db = openSource(file);
      const pool = openPool(o.to, 4);
      try {
        const reports =
          o.verifyOnly === true ? await verifyStore(db, pool) : await copyStore(db, pool, (table) => process.stderr.write(`copying ${table}\n`));
        process.stdout.write(reportTable(reports));
        const different = mismatches(reports);
        if (different.length > 0) {
          process.stderr.write(`opentrail: ${different.length} table(s) differ: ${different.map((r) => r.table).join(', ')}\n`);
          process.exitCode = 1;
        } else {
          const events = reports.find((r) => r.table === 'events')?.source.rows ?? 0;
          process.stdout.write(`${o.verifyOnly === true ? 'Verified' : 'Copied and verified'} ${reports.length} tables (${events} events). Start the nodes with --store ${o.to}\n`);
        }
      } finally {
        db.close();
        await pool.end();
      }
    });
}
