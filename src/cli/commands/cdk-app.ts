/**
 * The cdk.json app (`node node_modules/plinth/bin/plinth.js cdk-app .`, written by `plinth init`) makes
 * plain `npx cdk synth|deploy` work on a spec: the CDK CLI runs this with CDK_OUTDIR set, and
 * aws-cdk-lib's App writes the assembly there.
 */
import { createRequire } from 'node:module';
import { loadPlan } from '../../plan/load.js';
import type { Command } from './index.js';
import { envOf, specArg } from './spec-arg.js';

export const cdkApp: Command = {
  args: '[SPEC]',
  summary: 'the CDK app entry point used by cdk.json',
  hidden: true,
  async run({ positionals, values }) {
    const { plan } = await loadPlan(specArg(positionals, 'cdk-app'), envOf(values));
    const { buildPlatformApp } = await import('../../aws/app.js');
    const { VerifyPlugin } = await import('../verify-plugin.js');
    // require, not import(): Node's ESM view of aws-cdk-lib loads every service module up front.
    const { Validations } = createRequire(import.meta.url)('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const { app } = buildPlatformApp(plan, { failOnValidationErrors: true });
    Validations.of(app).addPlugins(new VerifyPlugin({ plan }));
    app.synth();
    return 0;
  },
};
