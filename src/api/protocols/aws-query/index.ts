/** The AWS query protocol (IAM, STS): see query-protocol.ts for the whole picture. */
export { queryServiceProtocol } from './query-protocol.js';
export type { QueryServiceDefinition } from './query-protocol.js';
export { modelledError } from './wire-errors.js';
export type { RecordedDateStyle } from '../recorded-date.js';
export { withSensitiveShapes } from './record-form.js';
