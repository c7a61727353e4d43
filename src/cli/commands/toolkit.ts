/**
 * deploy / diff / destroy: synthesize, then hand the cloud assembly to the pinned AWS CDK CLI
 * (aws-cdk 2.x; npm's "latest" 3.0.0 cannot read current assemblies), which shows its own progress.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../../spec/load.js';
import { loadPlan } from '../../plan/load.js';
import { EXIT_FAIL } from '../io.js';
import type { Command, CommandContext } from './index.js';
import { envOf, specArg } from './spec-arg.js';
import { blocking } from './synth.js';

const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/**
 * True when some credential source is configured. Deliberately offline and instant: plinth never
 * probes the instance metadata service, so on EC2 with an instance role set PLINTH_INSTANCE_ROLE=1.
 */
export function credentialsConfigured(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  if (CREDENTIAL_ENV.some((k) => env[k])) return true;
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')];
  if (files.some((f) => existsSync(f))) return true;
  return env.PLINTH_INSTANCE_ROLE === '1';
}

export const NO_CREDENTIALS = 'No AWS credentials found: run "aws configure" (or "aws sso login --profile NAME" and export AWS_PROFILE=NAME), '
  + 'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then try again.';

function cdkBin(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('aws-cdk/package.json'), '..', 'bin', 'cdk');
}

function toolkitCommand(verb: 'deploy' | 'diff' | 'destroy', summary: string, extra: string[]): Command {
  return {
    args: '[SPEC] [--out DIR] [--yes]',
    summary,
    options: { out: { type: 'string' }, yes: { type: 'boolean' } },
    async run(ctx: CommandContext) {
      const spec = specArg(ctx.positionals, verb);
      if (!credentialsConfigured()) throw new UsageError(NO_CREDENTIALS);
      const { plan } = await loadPlan(spec, envOf(ctx.values));
      const outdir = resolve(String(ctx.values.out ?? 'cdk.out'));
      const { synthesizePlatform } = await import('../../aws/synth.js');
      const result = synthesizePlatform(plan, { outdir });
      const failures = blocking(result);
      if (failures.length > 0) {
        ctx.out.error(`Refusing to ${verb}: ${failures.length} unacknowledged validation errors. Run "plinth synth ${spec}" to see them.`);
        return EXIT_FAIL;
      }
      const approval = ctx.values.yes ? ['--require-approval', 'never', ...(verb === 'destroy' ? ['--force'] : [])] : [];
      const args = [cdkBin(), verb, '--app', outdir, '--all', '--progress', 'events', ...extra, ...(verb === 'diff' ? [] : approval)];
      return new Promise((done) => {
        const child = spawn(process.execPath, args, { stdio: 'inherit' });
        child.on('exit', (code) => done(code === 0 ? 0 : EXIT_FAIL));
        child.on('error', (e) => {
          ctx.out.error(`could not start the CDK CLI: ${e.message}`);
          done(EXIT_FAIL);
        });
      });
    },
  };
}

export const deploy = toolkitCommand('deploy', 'synthesize and deploy every stack (CDK CLI, with progress)', []);
export const diff = toolkitCommand('diff', 'show what a deploy would change', []);
export const destroy = toolkitCommand('destroy', 'delete the stacks (stateful resources are retained or snapshotted)', []);
