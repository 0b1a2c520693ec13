// The create and edit form of a trail; the API's validation message is shown as it answered.
import { useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { Trail } from '../types';

interface Fields {
  name: string;
  bucket: string;
  prefix: string;
  multiRegion: boolean;
  validation: boolean;
  topic: string;
  logGroup: string;
  role: string;
}

function fieldsOf(trail: Trail | undefined): Fields {
  return {
    name: trail?.Name ?? '',
    bucket: trail?.S3BucketName ?? '',
    prefix: trail?.S3KeyPrefix ?? '',
    multiRegion: trail?.IsMultiRegionTrail ?? false,
    validation: trail?.LogFileValidationEnabled ?? false,
    topic: trail?.SnsTopicName ?? '',
    logGroup: trail?.CloudWatchLogsLogGroupArn ?? '',
    role: trail?.CloudWatchLogsRoleArn ?? '',
  };
}

/** Optional string settings: on create only those given; on update those changed ('' clears). */
function optional(fields: Fields, base: Fields | undefined): Record<string, string> {
  const pairs: [string, keyof Fields][] = [
    ['S3KeyPrefix', 'prefix'],
    ['SnsTopicName', 'topic'],
    ['CloudWatchLogsLogGroupArn', 'logGroup'],
    ['CloudWatchLogsRoleArn', 'role'],
  ];
  const out: Record<string, string> = {};
  for (const [api, key] of pairs) {
    const value = (fields[key] as string).trim();
    if (base === undefined ? value !== '' : value !== (base[key] as string)) out[api] = value;
  }
  return out;
}

export function TrailForm({ trail, onSaved, onCancel }: { trail?: Trail; onSaved: (trail: Trail) => void; onCancel: () => void }) {
  const base = trail === undefined ? undefined : fieldsOf(trail);
  const [fields, setFields] = useState(() => fieldsOf(trail));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setFields((f) => ({ ...f, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const common = {
        Name: trail?.TrailARN ?? fields.name.trim(),
        IsMultiRegionTrail: fields.multiRegion,
        EnableLogFileValidation: fields.validation,
        ...optional(fields, base),
      };
      const saved =
        trail === undefined
          ? await call<Trail>('CreateTrail', { ...common, S3BucketName: fields.bucket.trim() })
          : await call<Trail>('UpdateTrail', { ...common, ...(fields.bucket.trim() !== base?.bucket ? { S3BucketName: fields.bucket.trim() } : {}) });
      onSaved(saved);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="trail-form" onSubmit={(e) => void submit(e)}>
      <div class="grid">
        <label>
          Trail name
          <input name="name" required value={fields.name} disabled={trail !== undefined} spellcheck={false} onInput={(e) => set('name', e.currentTarget.value)} />
        </label>
        <label>
          S3 bucket
          <input name="bucket" required value={fields.bucket} spellcheck={false} onInput={(e) => set('bucket', e.currentTarget.value)} />
        </label>
        <label>
          S3 key prefix (optional)
          <input name="prefix" value={fields.prefix} spellcheck={false} onInput={(e) => set('prefix', e.currentTarget.value)} />
        </label>
        <label>
          SNS topic (optional)
          <input name="topic" value={fields.topic} spellcheck={false} onInput={(e) => set('topic', e.currentTarget.value)} />
        </label>
        <label>
          CloudWatch Logs log group ARN (optional)
          <input name="logGroup" value={fields.logGroup} spellcheck={false} onInput={(e) => set('logGroup', e.currentTarget.value)} />
        </label>
        <label>
          CloudWatch Logs role ARN (optional)
          <input name="role" value={fields.role} spellcheck={false} onInput={(e) => set('role', e.currentTarget.value)} />
        </label>
      </div>
      <div class="checks">
        <label class="check">
          <input type="checkbox" checked={fields.multiRegion} onChange={(e) => set('multiRegion', e.currentTarget.checked)} />
          Multi-region trail
        </label>
        <label class="check">
          <input type="checkbox" checked={fields.validation} onChange={(e) => set('validation', e.currentTarget.checked)} />
          Log file validation
        </label>
      </div>
      <ErrorMessage error={error} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {trail === undefined ? 'Create trail' : 'Save changes'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
