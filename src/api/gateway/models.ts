/** The route tables of the services the gateway knows by model, by signing name. */
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

const ALL: readonly GatewayServiceModel[] = [s3, ec2, kms, sqs, sns, dynamodb, lambda, secretsmanager, ssm];

export const gatewayModels: ReadonlyMap<string, GatewayServiceModel> = new Map(ALL.map((m) => [m.signingName, m]));
