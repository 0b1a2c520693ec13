/** Alarm history items CloudWatch writes for state changes (the evaluator's and SetAlarmState's alike). */
import type { AlarmHistoryItem, AlarmStateValue, MetricAlarm } from '../../store/monitoring/alarms.js';

/** The StateUpdate item of a change from the alarm's current state to `next`. */
export function stateUpdateItem(alarm: MetricAlarm, next: { value: AlarmStateValue; reason: string; reasonData?: string; timestampMs: number }): AlarmHistoryItem {
  const stateOf = (s: { value: string; reason: string; reasonData?: string }) => ({
    stateValue: s.value,
    stateReason: s.reason,
    ...(s.reasonData !== undefined && { stateReasonData: JSON.parse(s.reasonData) as unknown }),
  });
  return {
    accountId: alarm.accountId,
    region: alarm.region,
    alarmName: alarm.alarmName,
    timestampMs: next.timestampMs,
    historyItemType: 'StateUpdate',
    historySummary: `Alarm updated from ${alarm.state.value} to ${next.value}`,
    historyData: JSON.stringify({ version: '1.0', oldState: stateOf(alarm.state), newState: stateOf(next) }),
  };
}
