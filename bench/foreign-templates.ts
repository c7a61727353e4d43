/**
 * verify and cost on CloudFormation templates nobody on the project wrote (issue 14 item 8; the
 * figures in docs/verify.md, "On templates nobody on the project wrote"). Not part of `npm run bench`
 * or the tests: it needs a checkout of a public template collection, which is not committed here.
 *
 *   git clone https://github.com/awslabs/aws-cloudformation-templates /tmp/cfn   # commit 3ac5e03 was measured
 *   npx tsx bench/foreign-templates.ts /tmp/cfn [--out /tmp/foreign.json]
 *
 * Every `.json`/`.yaml`/`.yml` under `aws/` and `community/` is run through the built CLI, one new
 * process per file and command, as a user runs it: `plinth verify FILE --json` and
 * `plinth cost FILE --json --region us-east-1` (bare templates carry no region). A file is:
 * - refused: the CLI exited 2 with a located input error as JSON (not a template, or not valid YAML/JSON);
 * - crash: the process died, printed a stack trace, or did not print one JSON document;
 * - clean / findings / unknown-only: by the statuses of its checks (any violation = findings).
 * Findings are tallied per rule, and each finding of the rules named in FOCUS is listed so it can be
 * read against its template.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const CLI = join(HERE, '..', '..', 'bin', 'plinth.js');
const FOCUS = new Set((process.env.FOCUS ?? 'PS10,PS11,PS12').split(','));
const PARALLEL = Number(process.env.PARALLEL ?? 2);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      done({ code, stdout, stderr });
    });
  });
}

function templates(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|ya?ml)$/.test(name)) out.push(path);
    }
  };
  for (const top of ['aws', 'community']) walk(join(root, top));
  return out;
}

interface Check {
  readonly id: string;
  readonly status: string;
}
interface Finding {
  readonly ruleId: string;
  readonly status: string;
  readonly message: string;
  readonly resource?: { readonly logicalId?: string };
}

type Verdict = 'refused' | 'crash' | 'clean' | 'findings' | 'unknown-only';

function parse(r: Run): Record<string, unknown> | undefined {
  if (r.code === null || r.code > 2 || /\n\s+at .+\(.+:\d+:\d+\)/.test(r.stderr)) return undefined;
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function verdict(j: Record<string, unknown> | undefined): Verdict {
  if (j === undefined) return 'crash';
  if (typeof j.error === 'string') return 'refused';
  const checks = (j.checks ?? []) as Check[];
  if (checks.some((c) => c.status === 'violation')) return 'findings';
  if (checks.some((c) => c.status === 'unknown')) return 'unknown-only';
  return 'clean';
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (root === undefined) throw new Error('usage: npx tsx bench/foreign-templates.ts CHECKOUT [--out FILE]');
  const outAt = process.argv.indexOf('--out');
  const files = templates(root);
  const rows: Array<Record<string, unknown>> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!;
      const v = await run(['verify', file, '--json']);
      const c = await run(['cost', file, '--json', '--region', 'us-east-1']);
      const vj = parse(v);
      const cj = parse(c);
      const findings = ((vj?.findings ?? []) as Finding[]).map((f) => ({
        rule: f.ruleId,
        status: f.status,
        resource: f.resource?.logicalId,
        message: f.message,
      }));
      rows.push({
        file: relative(root, file),
        verify: verdict(vj),
        verifyError: typeof vj?.error === 'string' ? vj.error.split('\n')[0] : vj === undefined ? v.stderr.slice(0, 300) : undefined,
        cost: cj === undefined ? 'crash' : typeof cj.error === 'string' ? 'refused' : 'priced',
        costError: typeof cj?.error === 'string' ? cj.error.split('\n')[0] : cj === undefined ? c.stderr.slice(0, 300) : undefined,
        findings,
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  rows.sort((a, b) => String(a.file).localeCompare(String(b.file)));

  const count = (key: string, value: string): number => rows.filter((r) => r[key] === value).length;
  console.log(`files: ${rows.length}`);
  for (const v of ['refused', 'clean', 'findings', 'unknown-only', 'crash']) console.log(`verify ${v}: ${count('verify', v)}`);
  for (const v of ['priced', 'refused', 'crash']) console.log(`cost ${v}: ${count('cost', v)}`);
  const perRule = new Map<string, { violation: number; unknown: number; files: Set<string> }>();
  for (const r of rows) {
    for (const f of r.findings as Array<{ rule: string; status: string }>) {
      const t = perRule.get(f.rule) ?? { violation: 0, unknown: 0, files: new Set<string>() };
      if (f.status === 'violation') t.violation++;
      else t.unknown++;
      t.files.add(String(r.file));
      perRule.set(f.rule, t);
    }
  }
  console.log('rule: violations / unknowns (files)');
  for (const [rule, t] of [...perRule].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    console.log(`  ${rule}: ${t.violation} / ${t.unknown} (${t.files.size})`);
  }
  for (const r of rows) {
    for (const f of r.findings as Array<{ rule: string; status: string; resource?: string; message: string }>) {
      if (FOCUS.has(f.rule)) console.log(`${f.rule} ${f.status} ${String(r.file)} ${f.resource ?? ''}: ${f.message}`);
    }
  }
  for (const r of rows) {
    if (r.verify === 'crash' || r.cost === 'crash') console.log(`CRASH ${String(r.file)}: ${String(r.verifyError ?? r.costError)}`);
  }
  if (outAt > 0) writeFileSync(process.argv[outAt + 1]!, JSON.stringify(rows, null, 2));
}

await main();
