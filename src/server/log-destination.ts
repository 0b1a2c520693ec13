/** Where trails forward to CloudWatch Logs (placeholder until the hosted log store lands). */
import type { LogDestination } from '../workers/cloudwatch-logs/log-destination.js';

export const PENDING_LOG_GROUPS: Pick<LogDestination, 'exists'> = { exists: async () => Promise.resolve(false) };
