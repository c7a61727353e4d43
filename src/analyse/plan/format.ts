/** The CloudFormation section of `plinth plan`: a ChangeReport as text and Markdown. */
import type { PlanSection } from './section.js';
import type { ChangeReport, ResourceChange } from './types.js';

const VERB: Record<ResourceChange['action'], string> = {
  add: '+ add', modify: '~ modify', replace: '! replace', 'may-replace': '! may replace', remove: '- remove',
};

function resourceLine(r: ResourceChange): string {
  const why = r.replacingProperties.length ? ` (because ${r.replacingProperties.join(', ')} changed)` : '';
  const data = r.data === 'lost' ? '  DATA LOST' : r.data === 'kept' ? '  (kept in the account)' : r.data === 'snapshot' ? '  (final snapshot)' : '';
  const pause = r.interruption ? `  (interruption: ${r.interruption})` : '';
  return `${VERB[r.action]} ${r.path} ${r.type}${why}${data}${pause}${r.refused ? '  REFUSED without --allow-replace ' + r.path : ''}`;
}

export function changeReportSection(report: ChangeReport): PlanSection {
  const text: string[] = [];
  const md: string[] = [];
  for (const s of report.stacks) {
    text.push(`${s.stackName} (${s.status}${s.resources.length ? `, ${s.resources.length} change${s.resources.length === 1 ? '' : 's'}` : ''})`);
    md.push(`#### ${s.stackName} — ${s.status}`);
    if (s.resources.length) md.push('', '| change | resource | type | data |', '|---|---|---|---|');
    for (const r of s.resources) {
      text.push(`  ${resourceLine(r)}`);
      md.push(`| ${VERB[r.action]}${r.refused ? ' **(refused)**' : ''}${r.interruption ? ' (interruption)' : ''} | \`${r.path}\` | ${r.type} | ${r.data === 'none' ? '' : r.data} |`);
    }
    md.push('');
  }
  const twoPass = report.steps.some((s) => s.template === 'transition');
  if (twoPass) {
    text.push('', 'Deploy order (exports still imported are kept until their users stop):');
    md.push('**Deploy order** (exports still imported are kept until their users stop):', '');
    report.steps.forEach((s, i) => {
      text.push(`  ${i + 1}. ${s.operation} ${s.stackName}${s.template === 'transition' ? ' (transition)' : ''}: ${s.why}`);
      md.push(`${i + 1}. ${s.operation} \`${s.stackName}\`${s.template === 'transition' ? ' (transition)' : ''}: ${s.why}`);
    });
    md.push('');
  }
  if (report.refusals.length) {
    text.push('', `${report.refusals.length} change${report.refusals.length === 1 ? '' : 's'} need${report.refusals.length === 1 ? 's' : ''} attention:`);
    md.push(`**${report.refusals.length} change(s) need attention:**`, '');
    for (const r of report.refusals) {
      text.push(`  ${r.code} ${r.message}`, `    fix: ${r.fix}`);
      md.push(`- \`${r.code}\` ${r.message}. Fix: ${r.fix}`);
    }
    md.push('');
  }
  if (report.kept.length) {
    text.push('', `plinth destroy would keep ${report.kept.length} resource${report.kept.length === 1 ? '' : 's'}:`);
    md.push(`<details><summary>plinth destroy would keep ${report.kept.length} resource(s)</summary>`, '');
    for (const k of report.kept) {
      text.push(`  ${k.path} ${k.type}${k.name ? ` "${k.name}"` : ''} (${k.policy})`);
      md.push(`- \`${k.path}\` ${k.type}${k.name ? ` \`${k.name}\`` : ''} (${k.policy})`);
    }
    md.push('', '</details>');
  }
  return {
    id: 'cloudformation',
    title: 'CloudFormation changes',
    attention: !report.safe,
    text,
    markdown: md.join('\n'),
    json: report,
  };
}
