import type { ParseArgsConfig } from 'node:util';
import type { Output } from '../io.js';
import { cdkApp } from './cdk-app.js';
import { cost } from './cost.js';
import { diagram } from './diagram.js';
import { init } from './init.js';
import { planCommand } from './plan.js';
import { schema } from './schema.js';
import { synth } from './synth.js';
import { deploy, destroy, diff } from './toolkit.js';
import { validate } from './validate.js';
import { verifyCommand } from './verify.js';

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

export const COMMANDS: Readonly<Record<string, Command>> = {
  init, validate, synth, verify: verifyCommand, cost, diagram, schema, plan: planCommand, deploy, diff, destroy, 'cdk-app': cdkApp,
};
