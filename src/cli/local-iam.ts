/**
 * The admin CLI's way into IAM: the same operations, pipeline steps and records as over the
 * wire (RequestPipeline.invokeLocal), made as the account itself, the local administrator
 * (docs/identity.md): userIdentity type Root without an access key, sourceIPAddress
 * 127.0.0.1 and userAgent `opentrail-cli/<version>`. So every change the CLI makes is an
 * iam.amazonaws.com record in us-east-1, committed with its change or not at all.
 */
import { logDestinationFor } from '../server/log-destination.js';
import type { Logger } from 'pino';
import { ServiceError } from '../api/errors.js';
import { RequestPipeline } from '../api/pipeline.js';
import { queryWireError } from '../api/protocols/aws-query/wire-errors.js';
import type { OpenTrailConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { rootCaller } from '../iam/caller.js';
import { IdentityInputError } from '../iam/identity-service.js';
import { SigningKeyRing } from '../integrity/keys/index.js';
import { SnsTopicDirectory } from '../notify/sns-topics.js';
import { openObjectStore } from '../objects/open-object-store.js';
import type { Stores } from '../server/open-stores.js';
import { pipelineServices } from '../server/pipeline-services.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../services/iam/model.gen.js';
import { shapes } from '../services/iam/model.gen.js';

export { CLI_USER_AGENT, LOCAL_SOURCE_IP } from '../server/local-administrator.js';
import { CLI_USER_AGENT, LOCAL_SOURCE_IP } from '../server/local-administrator.js';

export interface LocalIam {
  /** Makes one IAM call as the root of `accountId`; an IAM error becomes IdentityInputError with its code. */
  call<Op extends OperationName>(accountId: string, operation: Op, input: OperationInputs[Op]): Promise<OperationOutputs[Op]>;
}

/** The pipeline over the stores, without HTTP server or workers: for calls made locally. */
export function localPipeline(stores: Stores, config: OpenTrailConfig, clock: Clock, logger: Logger): RequestPipeline {
  return new RequestPipeline(
    pipelineServices(stores, {
      objects: openObjectStore(config.objectStore, { dataDir: config.dataDir, secretBox: stores.secretBox }),
      topics: new SnsTopicDirectory(),
      logGroups: logDestinationFor(config, { logs: stores.logs, clock, logger }),
      keyRing: new SigningKeyRing({ store: stores.signingKeys, box: stores.secretBox, clock }),
      // IAM never deletes trails; nothing to finish.
      finishTrail: async () => undefined,
      clock,
      retentionDays: config.retentionDays,
    }),
    { defaultRegion: config.defaultRegion, logger },
  );
}

export function localIam(stores: Stores, config: OpenTrailConfig, clock: Clock, logger: Logger): LocalIam {
  const pipeline = localPipeline(stores, config, clock, logger);
  return {
    async call(accountId, operation, input) {
      if ((await stores.identity.store.getAccount(accountId)) === undefined) throw new IdentityInputError(`no account ${accountId}`);
      try {
        const output = await pipeline.invokeLocal({
          service: 'iam',
          operation,
          input: input as unknown as Record<string, unknown>,
          caller: rootCaller(accountId),
          sourceIPAddress: LOCAL_SOURCE_IP,
          userAgent: CLI_USER_AGENT,
        });
        return output as OperationOutputs[typeof operation];
      } catch (error) {
        if (error instanceof ServiceError) throw new IdentityInputError(`${queryWireError(shapes, error).code}: ${error.message}`);
        throw error;
      }
    },
  };
}
