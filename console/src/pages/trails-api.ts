// The trail calls the Trails pages share.
import { call } from '../api';
import type { Trail, TrailStatus } from '../types';

export async function describeTrails(names?: string[]): Promise<Trail[]> {
  const answer = await call<{ trailList?: Trail[] }>('DescribeTrails', names === undefined ? { includeShadowTrails: true } : { trailNameList: names, includeShadowTrails: true });
  return answer.trailList ?? [];
}

export async function trailStatus(trail: Trail): Promise<TrailStatus> {
  return call<TrailStatus>('GetTrailStatus', { Name: trail.TrailARN ?? trail.Name });
}
