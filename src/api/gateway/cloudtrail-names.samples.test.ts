/**
 * The naming and classification facts against the shared real CloudTrail records: for every
 * record of one of the gatewayed services, its eventName is one eventNameOf gives for some
 * operation of the model (or an explicitly listed non-API event), and readOnly and eventCategory
 * agree with isReadOnly and isDataEvent wherever the record carries them.
 */
import { describe, expect, it } from 'vitest';
import { sampleFiles, samplesAvailable, sampleText } from '../../../test/support/samples.js';
import { eventNameOf, isDataEvent, isReadOnly } from './cloudtrail-names.js';
import type { GatewayServiceModel } from './contract.js';
import { model as dynamodb } from '../../services/dynamodb/routes.gen.js';
import { model as ec2 } from '../../services/ec2/routes.gen.js';
import { model as kms } from '../../services/kms/routes.gen.js';
import { model as lambda } from '../../services/lambda/routes.gen.js';
import { model as s3 } from '../../services/s3/routes.gen.js';
import { model as secretsmanager } from '../../services/secretsmanager/routes.gen.js';
import { model as sns } from '../../services/sns/routes.gen.js';
import { model as sqs } from '../../services/sqs/routes.gen.js';
import { model as ssm } from '../../services/ssm/routes.gen.js';

const available = samplesAvailable();

const MODELS = new Map<string, GatewayServiceModel>(
  [s3, ec2, kms, sqs, sns, dynamodb, lambda, secretsmanager, ssm].map((model) => [model.eventSource, model]),
);

/**
 * Events the samples hold under these eventSources that no operation of the model is: the
 * service's own events (AwsServiceEvent), S3 Control calls recorded under s3.amazonaws.com, the SSM
 * Agent's calls and console-internal calls.
 */
const NON_API_EVENTS: Readonly<Record<string, readonly string[]>> = {
  's3.amazonaws.com': [
    'GetStorageLensDashboardDataInternal', // console-internal
    'GetStorageLensConfiguration', // S3 Control
    'ListAccessPoints', // S3 Control
    'GetAccountPublicAccessBlock', // S3 Control
  ],
  'ec2.amazonaws.com': ['SharedSnapshotVolumeCreated'], // AwsServiceEvent
  'secretsmanager.amazonaws.com': ['StartSecretVersionDelete', 'EndSecretVersionDelete'], // AwsServiceEvent
  // the SSM Agent's own calls, not in the public SSM model
  'ssm.amazonaws.com': ['UpdateInstanceInformation', 'UpdateInstanceAssociationStatus', 'ListInstanceAssociations'],
};

interface SampleRecord {
  eventSource: string;
  eventName: string;
  readOnly?: boolean;
  eventCategory?: string;
}

function records(): SampleRecord[] {
  const found: SampleRecord[] = [];
  for (const file of sampleFiles()) {
    const parsed = JSON.parse(sampleText(file)) as unknown;
    const all = (Array.isArray(parsed) ? parsed : ((parsed as { Records?: unknown[] }).Records ?? [])) as SampleRecord[];
    found.push(...all.filter((r) => MODELS.has(r.eventSource)));
  }
  return found;
}

/** eventName → the model operation CloudTrail records under it (one of them, when several). */
function operationsByEventName(model: GatewayServiceModel): Map<string, string> {
  const byName = new Map<string, string>();
  for (const route of model.operations) {
    const eventName = eventNameOf(model, route.name);
    if (!byName.has(eventName)) byName.set(eventName, route.name);
  }
  return byName;
}

describe.skipIf(!available)('CloudTrail names and classes against the real records', () => {
  const all = available ? records() : [];
  const byModel = new Map([...MODELS].map(([source, model]) => [source, operationsByEventName(model)]));

  /** The operation a record is a call of, or its eventName when it is a listed non-API event. */
  function operationOf(record: SampleRecord): string | undefined {
    const operation = byModel.get(record.eventSource)?.get(record.eventName);
    if (operation !== undefined) return operation;
    return NON_API_EVENTS[record.eventSource]?.includes(record.eventName) === true ? record.eventName : undefined;
  }

  it('cover most of the gatewayed services (the samples hold no SQS or DynamoDB records)', () => {
    expect(all.length).toBeGreaterThan(1000);
    expect(new Set(all.map((r) => r.eventSource)).size).toBeGreaterThanOrEqual(7);
  });

  it('every eventName is one eventNameOf gives, or a listed non-API event', () => {
    const unknown = [...new Set(all.filter((r) => operationOf(r) === undefined).map((r) => `${r.eventSource} ${r.eventName}`))];
    expect(unknown).toEqual([]);
  });

  it('every listed non-API event occurs in the samples and is no operation of the model', () => {
    for (const [source, names] of Object.entries(NON_API_EVENTS)) {
      for (const name of names) {
        expect(all.some((r) => r.eventSource === source && r.eventName === name), `${source} ${name}`).toBe(true);
        expect(byModel.get(source)?.has(name), `${source} ${name}`).toBe(false);
      }
    }
  });

  it('readOnly agrees with isReadOnly', () => {
    const wrong = new Set<string>();
    for (const r of all) {
      const operation = operationOf(r);
      const model = MODELS.get(r.eventSource);
      if (operation === undefined || model === undefined || r.readOnly === undefined) continue;
      if (isReadOnly(model, operation) !== r.readOnly) wrong.add(`${r.eventSource} ${r.eventName} readOnly=${r.readOnly}`);
    }
    expect([...wrong]).toEqual([]);
  });

  it('eventCategory agrees with isDataEvent', () => {
    const wrong = new Set<string>();
    let data = 0;
    for (const r of all) {
      const operation = operationOf(r);
      const model = MODELS.get(r.eventSource);
      if (operation === undefined || model === undefined || r.eventCategory === undefined) continue;
      if (r.eventCategory === 'Data') data++;
      if (isDataEvent(model, operation) !== (r.eventCategory === 'Data')) wrong.add(`${r.eventSource} ${r.eventName} ${r.eventCategory}`);
    }
    expect([...wrong]).toEqual([]);
    expect(data).toBeGreaterThan(0);
  });
});
