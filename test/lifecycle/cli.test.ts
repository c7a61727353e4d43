/** plinth plan / deploy as a user runs them: refusals stop before any AWS call. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.js';

function plinth(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'plinth.js'), ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** bootcamp-ec2 in a temp dir, with an intent its load balancer violates (it faces the internet on 443). */
function failingSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-deploy-'));
  cpSync(join(ROOT, 'examples', 'bootcamp-ec2'), join(dir, 'app'), { recursive: true });
  const file = join(dir, 'app', 'plinth.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('intents:\n', 'intents:\n  - name: only SSH faces the internet\n    from: internet\n    to: "*"\n    only: [bastion:22]\n'));
  return dir;
}

describe('plinth deploy with dummy credentials', () => {
  it('exits 1 on a spec that fails verify, before any AWS call', { timeout: 400_000 }, () => {
    const dir = failingSpec();
    // Dummy keys and an endpoint nothing listens on: any AWS call would fail differently and slowly.
    const env = {
      PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEDUMMY', AWS_SECRET_ACCESS_KEY: 'dummy',
      AWS_REGION: 'ap-northeast-2', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true',
    };
    const r = plinth(['deploy', 'app', '--yes'], dir, env);
    expect(r.stderr).toContain('Refusing to deploy: plinth verify found violations.');
    expect(r.stderr).toContain('only SSH faces the internet');
    expect(r.code).toBe(1);
    // The CDK CLI never started (it prints its version notice and stack names), and nothing was recorded as deployed.
    expect(r.stdout + r.stderr).not.toMatch(/bootcamp-prod-network: deploying|✨|CDK/);
    expect(existsSync(join(dir, 'cdk.out.deployed'))).toBe(false);
  });
});

describe('plinth plan', () => {
  it('refuses a host disk change without --allow-replace and accepts it with one', { timeout: 400_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-plan-'));
    cpSync(join(ROOT, 'examples', 'bootcamp-ec2'), join(dir, 'app'), { recursive: true });
    const env = { PATH: process.env.PATH, HOME: dir };
    expect(plinth(['synth', 'app', '--no-verify'], dir, env).code).toBe(0);
    const file = join(dir, 'app', 'plinth.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  jenkins:\n    instanceType: t2.medium\n    diskGiB: 8', '  jenkins:\n    instanceType: t2.medium\n    diskGiB: 30'));
    const refused = plinth(['plan', 'app'], dir, env);
    expect(refused.stdout).toMatch(/may replace Hosts\/Servers\/jenkins\/1 AWS::EC2::Instance \(because BlockDeviceMappings changed\)/);
    expect(refused.stdout).toContain('STATEFUL_REPLACEMENT');
    expect(refused.code).toBe(1);
    const allowed = plinth(['plan', 'app', '--allow-replace', 'Hosts/Servers/jenkins', '--json'], dir, env);
    const json = JSON.parse(allowed.stdout) as { cloudFormation: { attention: boolean; report: { refusals: unknown[]; stacks: { resources: { path: string; action: string }[] }[] } } };
    expect(json.cloudFormation.attention).toBe(false);
    expect(json.cloudFormation.report.refusals).toEqual([]);
    expect(json.cloudFormation.report.stacks.flatMap((s) => s.resources)).toContainEqual(expect.objectContaining({ path: 'Hosts/Servers/jenkins/1', action: 'may-replace' }));
  });
});

describe('deploy and destroy flags that guard time and data', () => {
  const env = (dir: string) => ({ PATH: process.env.PATH, HOME: dir });

  it('destroy refuses --confirm or --no-final-snapshot without --delete-data (nothing to confirm), before anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-destroy-'));
    for (const flag of [['--confirm', 'bootcamp-prod'], ['--no-final-snapshot']]) {
      const r = plinth(['destroy', join(ROOT, 'examples', 'bootcamp-ec2'), ...flag], dir, env(dir));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flag[0]} only applies with --delete-data; without it destroy deletes no data.`);
    }
  });

  it('deploy takes --dns-timeout in minutes, and says so otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-deploy-'));
    const r = plinth(['deploy', join(ROOT, 'examples', 'bootcamp-ec2'), '--dns-timeout', 'ten'], dir, env(dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dns-timeout takes minutes, e.g. --dns-timeout 60 (or 0 not to wait), not "ten".');
  });
});
