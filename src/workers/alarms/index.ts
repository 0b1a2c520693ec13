/** The CloudWatch alarm evaluator and its actions (see alarm-worker.ts). */
export { startAlarmWorker } from './alarm-worker.js';
export type { AlarmWorker, AlarmWorkerDeps } from './alarm-worker.js';
export { alarmActionPublisher } from './alarm-publisher.js';
export type { AlarmActionPublisher, TopicPublisher } from './alarm-publisher.js';
export { alarmMessage, alarmSubject, regionLongName } from './alarm-notification.js';
