/**
 * Renders the change review of one realistic change per seed example into docs/change-review/:
 * the pull-request comment (`<example>.md`) and the picture of the change (`<example>.png`).
 *
 *   npx tsx scripts/plan-examples.ts [example ...]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { analyseSide, drawChange, formatMarkdown, reviewChange } from '../src/analyse/change/index.js';
import { changeReportSection, planChanges, readPlanAssembly, type ChangeReport } from '../src/analyse/plan/index.js';
import { synthesizePlatform } from '../src/aws/synth.js';
import { buildPlan } from '../src/plan/index.js';
import { platformSpecSchema } from '../src/spec/schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs/change-review');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any;

/** One change a team would plausibly make to each seed system, described as a PR title. */
export const CHANGES: Readonly<Record<string, { readonly title: string; readonly edit: (spec: Spec) => void }>> = {
  'nemo-v3': {
    title: 'Let the bastion query the database; one more node for Kafka',
    edit: (s) => {
      s.data.databases.main.allowFrom = ['cluster/nodes', 'bastion'];
      s.cluster.nodeGroups.main.size = 4;
    },
  },
  'video-platform': {
    title: 'Make Kafka UI reachable without the VPN',
    edit: (s) => {
      s.apps['kafka-ui'].expose = { ingress: 'public', host: 'kafka-ui.vidgen.dev' };
    },
  },
  'three-tier-eks': {
    title: 'Bigger nodes for Tomcat; drop the NGINX frontend (served from S3 now)',
    edit: (s) => {
      s.cluster.nodeGroups.app.instanceTypes = ['t3.xlarge'];
      delete s.apps.frontend;
    },
  },
  'bootcamp-ec2': {
    title: 'A second admin network may SSH to the bastion',
    edit: (s) => {
      s.access.bastion.sshFrom = [...s.access.bastion.sshFrom, 'cidr:198.51.100.0/24'];
    },
  },
  'k8s-on-ec2': {
    title: 'A fourth worker',
    edit: (s) => {
      s.servers.workers.count = 4;
    },
  },
};

function planOf(example: string, edit: (spec: Spec) => void) {
  const dir = join(ROOT, 'examples', example);
  const spec = parse(readFileSync(join(dir, 'plinth.yaml'), 'utf8'));
  edit(spec);
  const parsed = platformSpecSchema.parse(parse(stringify(spec)));
  return buildPlan(parsed, { readFile: (p) => { try { return readFileSync(join(dir, p), 'utf8'); } catch { return undefined; } } });
}

async function render(example: string): Promise<void> {
  const change = CHANGES[example]!;
  const temp = mkdtempSync(join(tmpdir(), `plinth-docs-${example}-`));
  try {
    const oldPlan = planOf(example, () => {});
    const newPlan = planOf(example, change.edit);
    synthesizePlatform(oldPlan, { outdir: join(temp, 'main') });
    synthesizePlatform(newPlan, { outdir: join(temp, 'pr') });
    const now = new Date('2026-12-05T00:00:00Z');
    const before = analyseSide(join(temp, 'main'), { label: 'main', plan: oldPlan, intents: newPlan.intents, now });
    const after = analyseSide(join(temp, 'pr'), { label: `PR: ${change.title}`, plan: newPlan, now });
    // The whole comment `plinth plan --markdown` posts: issue 10's CloudFormation section, then the review.
    const cfn = changeReportSection(planChanges(readPlanAssembly(join(temp, 'main')), readPlanAssembly(join(temp, 'pr'))));
    const refusals = (cfn.json as ChangeReport).refusals.map((r) => ({ code: 'R_CLOUDFORMATION' as const, text: `${r.stack}: ${r.message} (${r.fix})` }));
    const review = reviewChange(before, after, { maxCostIncreasePercent: 10 }, refusals);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `${example}.png`), await drawChange(before, after, { format: 'png' }));
    const section = `<details${cfn.attention ? ' open' : ''}><summary><b>${cfn.title}</b></summary>\n\n${cfn.markdown}\n\n</details>`;
    const md = formatMarkdown(review, { pictureUrl: `${example}.png`, before: [section] }).replace(/ · \d+ ms<\/sub>/, '</sub>');
    writeFileSync(join(OUT, `${example}.md`), `${md}\n`);
    process.stdout.write(`${example}: ${review.verdict.headline}\n`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
for (const example of wanted.length ? wanted : Object.keys(CHANGES)) await render(example);
