/** The AWS SDK clients `destroy --delete-data` uses, with the default credential chain, in the platform's region. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DataClients } from './delete-data.js';

export function dataClients(region: string): DataClients {
  return {
    cloudFormation: new CloudFormationClient({ region }), rds: new RDSClient({ region }), s3: new S3Client({ region }), efs: new EFSClient({ region }),
    ecr: new ECRClient({ region }), logs: new CloudWatchLogsClient({ region }), route53: new Route53Client({ region }),
    secrets: new SecretsManagerClient({ region }), ec2: new EC2Client({ region }),
  };
}
