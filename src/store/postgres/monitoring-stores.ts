/** The PostgreSQL adapters of the CloudWatch Logs, metrics, alarms and Insights ports, over the shared pool. */
import type { Pool } from 'pg';
import type { InsightStore } from '../insights/insight-store.js';
import type { AlarmStore } from '../monitoring/alarms.js';
import type { LogStore } from '../monitoring/log-groups.js';
import type { MetricStore } from '../monitoring/metrics.js';
import { PostgresAlarmStore } from './alarm-store.js';
import { PostgresInsightStore } from './insight-store.js';
import { PostgresLogStore } from './log-store.js';
import { PostgresMetricStore } from './metric-store.js';

export interface MonitoringStores {
  logs: LogStore;
  metrics: MetricStore;
  alarms: AlarmStore;
  insights: InsightStore;
}

export function postgresMonitoringStores(pool: Pool): MonitoringStores {
  return { logs: new PostgresLogStore(pool), metrics: new PostgresMetricStore(pool), alarms: new PostgresAlarmStore(pool), insights: new PostgresInsightStore(pool) };
}
