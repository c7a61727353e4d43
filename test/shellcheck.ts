/** shellcheck for rendered scripts (Debian package `shellcheck`; .ci/run installs it). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';

export const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/** `it`, or `it.skip` where shellcheck is not installed. */
export const lintIt = hasShellcheck ? it : it.skip;

/** Runs shellcheck on SCRIPT (written as NAME in a temporary directory); returns its findings, empty when clean. */
export function shellcheck(name: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-shellcheck-'));
  const file = join(dir, name);
  writeFileSync(file, script);
  try {
    execFileSync('shellcheck', ['--shell=bash', file], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
