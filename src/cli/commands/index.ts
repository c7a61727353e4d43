/**
 * The command table. Each command's module is imported only when that command runs, so `plinth validate`
 * never loads aws-cdk-lib and `plinth cost` never loads cdk-nag: start-up matches the work.
 * To add a command, add one line to COMMANDS.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from '../io.js';

export interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly out: Output;
}

export interface Command {
  readonly args: string;
  readonly summary: string;
  readonly help?: string;
  readonly hidden?: boolean;
  readonly options?: ParseArgsConfig['options'];
  run(ctx: CommandContext): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import('./init.js')).init,
  validate: async () => (await import('./validate.js')).validate,
  synth: async () => (await import('./synth.js')).synth,
  verify: async () => (await import('./verify.js')).verifyCommand,
  cost: async () => (await import('./cost.js')).cost,
  diagram: async () => (await import('./diagram.js')).diagram,
  plan: async () => (await import('./plan.js')).plan,
  schema: async () => (await import('./schema.js')).schema,
  deploy: async () => (await import('./deploy.js')).deploy,
  diff: async () => (await import('./toolkit.js')).diff,
  destroy: async () => (await import('./destroy.js')).destroy,
  'cdk-app': async () => (await import('./cdk-app.js')).cdkApp,
};
