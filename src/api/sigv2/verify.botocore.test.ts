/**
 * The verifier against the installed botocore: a Python script signs requests with botocore's
 * own SigV2 signers (`s3-query` presigning is HmacV1QueryAuth, `s3` is HmacV1Auth), with fixed
 * credentials and `time.time` fixed, for path-style and virtual-hosted requests, keys with
 * spaces, `+` and non-ASCII, sub-resources and session tokens. Each must verify, and each
 * one-character change to a signed part must not. A peer: skipped without python3 and boto3,
 * failing instead under OPENTRAIL_REQUIRE_PEERS=1.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boto3Available } from '../../../test/support/peers.js';
import type { Vector } from './vectors.fixture.js';
import { BOTOCORE_VECTORS, VECTOR_EPOCH_SECONDS, VECTOR_KEY_ID, VECTOR_SECRET, VECTOR_TOKEN, expectVectorHolds } from './vectors.fixture.js';

const hasBoto3 = boto3Available();

const SCRIPT = String.raw`
import json, sys, time
args = json.load(sys.stdin)
time.time = lambda: args["epoch"]
import boto3
from botocore.config import Config

class Captured(Exception):
    pass

def client(style, token, query):
    session = boto3.Session(aws_access_key_id=args["keyId"], aws_secret_access_key=args["secret"], aws_session_token=token, region_name="us-east-1")
    return session.client("s3", endpoint_url="http://localhost:4747", config=Config(signature_version="s3-query" if query else "s3", s3={"addressing_style": style}, retries={"max_attempts": 1}))

out = []
def presign(name, style, op, params, token=None):
    url = client(style, token, True).generate_presigned_url(op, Params=params, ExpiresIn=3600)
    out.append({"name": name, "method": "PUT" if op in ("put_object", "upload_part") else "GET", "url": url, "headers": {}, "token": token})

def signed(name, style, op, params, token=None):
    c = client(style, token, False)
    def grab(request, **kwargs):
        headers = {}
        for k, v in request.headers.items():
            headers.setdefault(k.lower(), []).append(v if isinstance(v, str) else v.decode())
        out.append({"name": name, "method": request.method, "url": request.url, "headers": headers, "token": token})
        raise Captured()
    c.meta.events.register("before-send.s3", grab)
    try:
        getattr(c, op)(**params)
    except Captured:
        pass

T = args["token"]
KEY = "dir/with space+plus ünï~(1).txt"
for style in ("path", "virtual"):
    presign("query get, space/unicode/plus, " + style, style, "get_object", {"Bucket": "vectors", "Key": KEY})
    presign("query get, response overrides, " + style, style, "get_object", {"Bucket": "vectors", "Key": "a b.txt", "ResponseContentType": "text/plain; charset=utf-8", "ResponseContentDisposition": 'attachment; filename="a b+c.txt"', "ResponseCacheControl": "no-cache", "VersionId": "v+1/2"})
    presign("query get, session token, " + style, style, "get_object", {"Bucket": "vectors", "Key": "a.txt"}, token=T)
    presign("query upload_part, " + style, style, "upload_part", {"Bucket": "vectors", "Key": "big.bin", "UploadId": "up/load+id=1", "PartNumber": 1})
    presign("query put with content-type, " + style, style, "put_object", {"Bucket": "vectors", "Key": "p.txt", "ContentType": "text/plain"})
    presign("query get acl, session token, " + style, style, "get_object_acl", {"Bucket": "vectors", "Key": KEY}, token=T)
    signed("header get acl, " + style, style, "get_object_acl", {"Bucket": "vectors", "Key": KEY})
    signed("header put, metadata, acl, session token, " + style, style, "put_object", {"Bucket": "vectors", "Key": KEY, "Body": b"hello", "ContentType": "text/plain", "ACL": "private", "Metadata": {"Owner": " alice ", "b": "2"}}, token=T)
    signed("header list objects, " + style, style, "list_objects", {"Bucket": "vectors", "Prefix": "dir/"})
    signed("header get bucket tagging, " + style, style, "get_bucket_tagging", {"Bucket": "vectors"})
    signed("header create multipart upload, " + style, style, "create_multipart_upload", {"Bucket": "vectors", "Key": "big.bin"})
    signed("header upload_part, " + style, style, "upload_part", {"Bucket": "vectors", "Key": "big.bin", "UploadId": "up/load+id=1", "PartNumber": 2, "Body": b"x"})
    signed("header get, versionId, " + style, style, "get_object", {"Bucket": "vectors", "Key": "a.txt", "VersionId": "v1+v/2"})
    signed("header delete objects, " + style, style, "delete_objects", {"Bucket": "vectors", "Delete": {"Objects": [{"Key": "a"}]}})
print(json.dumps(out))
`;

interface PythonVector extends Vector {
  token: string | null;
}

function botocoreVectors(): PythonVector[] {
  const input = JSON.stringify({ epoch: VECTOR_EPOCH_SECONDS, keyId: VECTOR_KEY_ID, secret: VECTOR_SECRET, token: VECTOR_TOKEN });
  const run = spawnSync('python3', ['-c', SCRIPT], { input, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the botocore vector script failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonVector[];
}

describe.skipIf(!hasBoto3)('verifyS3SigV2 on what the installed botocore signs', () => {
  const vectors = hasBoto3 ? botocoreVectors() : [];

  it('signs the expected vectors', () => {
    expect(vectors.length).toBe(28);
    expect(vectors.filter((v) => v.url.includes('AWSAccessKeyId=')).length).toBe(12);
    expect(vectors.filter((v) => (v.headers.authorization?.[0] ?? '').startsWith('AWS ')).length).toBe(16);
  });

  it('accepts each, and refuses each after a one-character change to a signed part', () => {
    for (const vector of vectors) expectVectorHolds(vector, vector.token ?? undefined);
  });

  it('still signs the fixed vectors as they are kept in vectors.fixture.ts', () => {
    const fresh = new Map(vectors.map((v) => [v.name, v]));
    const same = [
      ['query get, path style, space/unicode/plus', 'query get, space/unicode/plus, path'],
      ['query get, virtual-hosted', 'query get, space/unicode/plus, virtual'],
      ['query get, session token', 'query get, session token, virtual'],
      ['query upload_part', 'query upload_part, path'],
      ['query put with content-type', 'query put with content-type, path'],
    ] as const;
    for (const [kept, made] of same) {
      expect(fresh.get(made)?.url, made).toBe(BOTOCORE_VECTORS.find((v) => v.name === kept)?.url);
    }
    const header = (name: string) => fresh.get(name)?.headers.authorization?.[0];
    expect(header('header get acl, path')).toBe(BOTOCORE_VECTORS.find((v) => v.name === 'header get acl, path style')?.headers.authorization);
  });
});
