/**
 * A controller's interruption queue (Karpenter's): SQS, encrypted and TLS-only, fed by EventBridge
 * rules for the event patterns the controller's definition names.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';
import type { EventQueueRequirement } from './controller.js';

export function eventQueue(scope: Construct, requirement: EventQueueRequirement): sqs.Queue {
  const queue = new sqs.Queue(scope, 'EventQueue', {
    queueName: requirement.queueName,
    retentionPeriod: Duration.seconds(requirement.retentionPeriodSeconds),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  acknowledge(queue, 'AwsSolutions-SQS3', `${requirement.queueName} carries interruption notices that are useful for minutes (retention `
    + `${requirement.retentionPeriodSeconds} s); a message the controller fails to handle is redelivered until then, and a dead-letter copy would describe an interruption that already happened.`);
  for (const pattern of requirement.eventPatterns) {
    new events.Rule(scope, `${pattern.id}Rule`, {
      description: `${pattern.detailType} → ${requirement.queueName}`,
      eventPattern: { source: [pattern.source], detailType: [pattern.detailType] },
      targets: [new targets.SqsQueue(queue)],
    });
  }
  return queue;
}
