/**
 * The cdk-nag bundle in dist/vendor (scripts/build.mjs) tests a construct's CloudFormation type before each
 * `instanceof` against an aws-cdk-lib L1 class, so synth does not load the L1 files of services a platform never
 * creates. These tests hold it to "same findings, fewer modules": the rewrite itself, the type of every guard in
 * the built bundle, and the bundle against the package it was made from on resources of many services.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardCfnInstanceof } from '../scripts/build.mjs';
import { ROOT } from './support.js';

const rootRequire = createRequire(join(ROOT, 'package.json'));
const BUNDLE = join(ROOT, 'dist', 'vendor', 'cdk-nag.cjs');

describe('guardCfnInstanceof', () => {
  const source = [
    'const aws_cdk_lib_1 = require("aws-cdk-lib");',
    'const aws_quicksight_1 = require("aws-cdk-lib/aws-quicksight");',
    'const aws_sqs_1 = require("aws-cdk-lib/aws-sqs");',
    'if (node instanceof aws_quicksight_1.CfnDataSource) {}',
    'if (!(child instanceof aws_sqs_1.CfnQueuePolicy) || x) {}',
    'if (node instanceof aws_cdk_lib_1.CfnResource) {}',
    'if (parent.node instanceof aws_sqs_1.CfnQueue) {}',
    'if (node instanceof aws_sqs_1.CfnQueue.prototype.constructor) {}',
    'if (node instanceof aws_sqs_1.CfnNoSuchType) {}',
    'if (node instanceof other_1.CfnQueue) {}',
  ].join('\n');
  const lines = guardCfnInstanceof(source, rootRequire).split('\n');

  it('puts the type test first for L1 classes of aws-cdk-lib service modules', () => {
    expect(lines[3]).toBe('if ((node?.cfnResourceType === "AWS::QuickSight::DataSource" && node instanceof aws_quicksight_1.CfnDataSource)) {}');
    expect(lines[4]).toBe('if (!((child?.cfnResourceType === "AWS::SQS::QueuePolicy" && child instanceof aws_sqs_1.CfnQueuePolicy)) || x) {}');
  });

  it('leaves alone what it cannot prove: the core module, member operands, longer expressions, unknown classes and bindings', () => {
    expect(lines.slice(5)).toEqual(source.split('\n').slice(5));
  });
});

describe('the cdk-nag bundle', () => {
  const bundle = readFileSync(BUNDLE, 'utf8');

  it('guards every instanceof test against an L1 class of a service module, each with that class\'s own type', () => {
    const bindings = new Map([...bundle.matchAll(/var (aws_\w+_1) = require\("(aws-cdk-lib\/[\w-]+)"\)/g)].map((m) => [m[1]!, m[2]!]));
    const tests = [...bundle.matchAll(/(\w+\?\.cfnResourceType === ("[^"]+") && )?\w+ instanceof (aws_\w+_1)\.(Cfn\w+)/g)];
    expect(tests.length).toBeGreaterThan(250);
    for (const [test, guard, type, binding, member] of tests) {
      expect(guard, test).toBeDefined();
      const specifier = bindings.get(binding!);
      expect(specifier, binding).toBeDefined();
      expect(JSON.parse(type!), test).toBe(rootRequire(specifier!)[member!].CFN_RESOURCE_TYPE_NAME);
    }
  });

  it('reports exactly what the cdk-nag package reports, on resources of services the rules name', () => {
    const cdk = rootRequire('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'Many', { env: { account: '111111111111', region: 'us-east-1' } });
    const quicksight = rootRequire('aws-cdk-lib/aws-quicksight') as typeof import('aws-cdk-lib/aws-quicksight');
    new quicksight.CfnDataSource(stack, 'Source', { awsAccountId: '111111111111', dataSourceId: 'd', name: 'd', type: 'MYSQL', sslProperties: { disableSsl: true } });
    const sqs = rootRequire('aws-cdk-lib/aws-sqs') as typeof import('aws-cdk-lib/aws-sqs');
    class OwnQueue extends sqs.CfnQueue {}
    new OwnQueue(stack, 'Subclassed', {});
    new sqs.Queue(stack, 'Queue');
    const sagemaker = rootRequire('aws-cdk-lib/aws-sagemaker') as typeof import('aws-cdk-lib/aws-sagemaker');
    new sagemaker.CfnNotebookInstance(stack, 'Notebook', { instanceType: 'ml.t3.medium', roleArn: 'arn:aws:iam::111111111111:role/r' });
    const cognito = rootRequire('aws-cdk-lib/aws-cognito') as typeof import('aws-cdk-lib/aws-cognito');
    new cognito.CfnUserPool(stack, 'Users', {});
    const dynamodb = rootRequire('aws-cdk-lib/aws-dynamodb') as typeof import('aws-cdk-lib/aws-dynamodb');
    new dynamodb.CfnTable(stack, 'Table', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }] });
    const elasticache = rootRequire('aws-cdk-lib/aws-elasticache') as typeof import('aws-cdk-lib/aws-elasticache');
    new elasticache.CfnCacheCluster(stack, 'Cache', { cacheNodeType: 'cache.t3.micro', engine: 'redis', numCacheNodes: 1 });
    const eks = rootRequire('aws-cdk-lib/aws-eks') as typeof import('aws-cdk-lib/aws-eks');
    const eksV2 = rootRequire('aws-cdk-lib/aws-eks-v2') as typeof import('aws-cdk-lib/aws-eks-v2');
    const vpcConfig = { subnetIds: ['subnet-1', 'subnet-2'] };
    new eks.CfnCluster(stack, 'EksV1', { roleArn: 'arn:aws:iam::111111111111:role/eks', resourcesVpcConfig: vpcConfig });
    // The same CloudFormation type from another module's class: the guard lets it through, instanceof decides.
    new eksV2.CfnCluster(stack, 'EksV2', { roleArn: 'arn:aws:iam::111111111111:role/eks', resourcesVpcConfig: vpcConfig });
    const s3 = rootRequire('aws-cdk-lib/aws-s3') as typeof import('aws-cdk-lib/aws-s3');
    new s3.Bucket(stack, 'Bucket');

    const findings = (nag: typeof import('cdk-nag')) => new nag.AwsSolutionsChecks().validateScope(app).violations;
    const fromPackage = findings(rootRequire('cdk-nag') as typeof import('cdk-nag'));
    const fromBundle = findings(createRequire(BUNDLE)(BUNDLE) as typeof import('cdk-nag'));
    expect(fromBundle).toEqual(fromPackage);
    const rules = new Set(fromPackage.map((v) => v.ruleName));
    for (const rule of ['AwsSolutions-QS1', 'AwsSolutions-SQS3', 'AwsSolutions-SM1', 'AwsSolutions-COG1', 'AwsSolutions-DDB3', 'AwsSolutions-AEC1', 'AwsSolutions-EKS1', 'AwsSolutions-S1']) {
      expect(rules, rule).toContain(rule);
    }
  });
});
