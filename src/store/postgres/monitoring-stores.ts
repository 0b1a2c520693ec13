/** The PostgreSQL adapters of the CloudWatch Logs, metrics, alarms and Insights ports, over the shared pool. */
import type { Pool } from 'pg';
import type { InsightStore } from '../insights/insight-store.js';
import type { AlarmStore } from '../monitoring/alarms.js';
import type { LogStore } from '../monitoring/log-groups.js';
import type { MetricStore } from '../monitoring/metrics.js';
import { unsupportedPort } from './unsupported.js';

export interface MonitoringStores {
  logs: LogStore;
  metrics: MetricStore;
  alarms: AlarmStore;
  insights: InsightStore;
}

export function postgresMonitoringStores(_pool: Pool): MonitoringStores {
  return { logs: unsupportedPort('logs'), metrics: unsupportedPort('metrics'), alarms: unsupportedPort('alarms'), insights: unsupportedPort('insights') };
}
