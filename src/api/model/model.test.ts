import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandWorks, peerAvailable } from '../../../test/support/peers.js';
import * as cloudtrailData from '../../services/cloudtrail-data/model.gen.js';
import * as cloudtrail from '../../services/cloudtrail/model.gen.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../../services/cloudtrail/model.gen.js';
import type { ShapeTable } from './validate-input.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every shape name the table refers to, with who refers to it. */
function references(shapes: ShapeTable): [string, string][] {
  const refs: [string, string][] = [];
  for (const [name, shape] of Object.entries(shapes)) {
    for (const [member, ref] of Object.entries(shape.members ?? {})) refs.push([`${name}.${member}`, ref.shape]);
    for (const role of ['member', 'key', 'value'] as const) {
      const target = shape[role];
      if (target !== undefined) refs.push([`${name}.${role}`, target]);
    }
  }
  return refs;
}

describe('generated cloudtrail model', () => {
  it('has all 60 operations, in model order, with unique names', () => {
    expect(cloudtrail.operationNames).toHaveLength(60);
    expect(new Set(cloudtrail.operationNames).size).toBe(60);
    expect(Object.keys(cloudtrail.operations)).toEqual([...cloudtrail.operationNames]);
    for (const name of [
      'AddTags', 'CreateTrail', 'DeleteTrail', 'DescribeTrails', 'GetEventSelectors', 'GetTrailStatus', 'ListTrails',
      'LookupEvents', 'PutEventSelectors', 'StartLogging', 'StopLogging', 'UpdateTrail', 'CreateChannel', 'StartQuery',
    ]) {
      expect(cloudtrail.operationNames).toContain(name);
    }
  });

  it('describes the JSON 1.1 protocol', () => {
    expect(cloudtrail.metadata).toEqual({
      apiVersion: '2013-11-01',
      protocol: 'json',
      jsonVersion: '1.1',
      targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
      signingName: 'cloudtrail',
      serviceId: 'CloudTrail',
    });
  });

  it('describes LookupEvents', () => {
    expect(cloudtrail.operations.LookupEvents).toMatchObject({
      input: 'LookupEventsRequest',
      output: 'LookupEventsResponse',
      http: { method: 'POST', requestUri: '/' },
    });
    expect(cloudtrail.operations.LookupEvents.errors).toContain('InvalidLookupAttributesException');
    expect(cloudtrail.shapes.LookupAttribute).toEqual({
      type: 'structure',
      members: { AttributeKey: { shape: 'LookupAttributeKey' }, AttributeValue: { shape: 'LookupAttributeValue' } },
      required: ['AttributeKey', 'AttributeValue'],
    });
    expect(cloudtrail.shapes.MaxResults).toEqual({ type: 'integer', min: 1, max: 50 });
    expect(cloudtrail.shapes.InvalidLookupAttributesException?.exception).toBe(true);
  });

  it.each([
    ['cloudtrail', cloudtrail.shapes, Object.values(cloudtrail.operations)],
    ['cloudtrail-data', cloudtrailData.shapes, Object.values(cloudtrailData.operations)],
  ] as const)('%s refers only to shapes it has', (_service, shapes, operations) => {
    const missing = references(shapes).filter(([, target]) => !Object.hasOwn(shapes, target));
    for (const op of operations) {
      for (const target of [op.input, op.output, ...op.errors]) {
        if (target !== undefined && !Object.hasOwn(shapes, target)) missing.push(['operation', target]);
      }
    }
    expect(missing).toEqual([]);
  });

  it('carries no documentation', () => {
    const text = JSON.stringify([cloudtrail.shapes, cloudtrail.operations, cloudtrailData.shapes, cloudtrailData.operations]);
    expect(text).not.toMatch(/documentation|<p>/);
  });

  it('types inputs and outputs by operation', () => {
    // Compile-time checks: these assignments fail to type-check when the mapping is wrong.
    const input: OperationInputs['LookupEvents'] = { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x' }], StartTime: 1.5 };
    const output: OperationOutputs['LookupEvents'] = { Events: [{ EventId: 'e', EventTime: 1, Resources: [] }], NextToken: 't' };
    const trail: OperationInputs['CreateTrail'] = { Name: 'n', S3BucketName: 'b', TagsList: [{ Key: 'k' }] };
    const name: OperationName = 'PutEventSelectors';
    expect([input, output, trail, name]).toHaveLength(4);
  });
});

describe('generated cloudtrail-data model', () => {
  it('has PutAuditEvents over REST-JSON with query-string members', () => {
    expect(cloudtrailData.operationNames).toEqual(['PutAuditEvents']);
    expect(cloudtrailData.metadata).toEqual({
      apiVersion: '2021-08-11',
      protocol: 'rest-json',
      jsonVersion: '1.1',
      signingName: 'cloudtrail-data',
      serviceId: 'CloudTrail Data',
    });
    expect(cloudtrailData.operations.PutAuditEvents.http).toEqual({ method: 'POST', requestUri: '/PutAuditEvents' });
    expect(cloudtrailData.shapes.PutAuditEventsRequest?.members?.channelArn).toEqual({
      shape: 'ChannelArn',
      location: 'querystring',
      locationName: 'channelArn',
    });
    const input: cloudtrailData.OperationInputs['PutAuditEvents'] = { channelArn: 'arn', auditEvents: [{ id: '1', eventData: '{}' }] };
    expect(input.auditEvents).toHaveLength(1);
  });
});

describe.skipIf(!peerAvailable('botocore', commandWorks('python3', ['-c', 'import botocore']), 'python3 with botocore not found'))(
  'generated model drift',
  () => {
    it('matches what scripts/gen-model.ts generates from the installed botocore', () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-model.ts', '--check'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    });
  },
);
