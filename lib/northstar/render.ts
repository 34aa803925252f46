import type { NorthStar } from './schema.js';

/** Markdown table cells cannot hold pipes or newlines. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * The Markdown projection of NORTH_STAR.yaml. Pure and deterministic: the same YAML gives the
 * same bytes (no dates, no environment, input order kept).
 */
export function renderNorthStar(ns: NorthStar, sourceName = 'NORTH_STAR.yaml'): string {
  const out: string[] = [
    '# North Star',
    '',
    `> Generated from \`${sourceName}\` by \`fleet northstar render\`. Edit the YAML, not this file.`,
    '',
    '## Mission',
    '',
    ns.mission.trim(),
  ];
  if (ns.substrate) out.push('', '## Substrate', '', ns.substrate.note.trim());
  const list = (title: string, items: { id: string; text: string }[]) => {
    if (!items.length) return;
    out.push('', `## ${title}`, '');
    for (const i of items) out.push(`- **${i.id}** — ${cell(i.text)}`);
  };
  list('Standing objectives', ns.standing_objectives);
  list('Success criteria', ns.success_criteria);
  if (ns.workstreams.length) {
    out.push('', '## Workstreams', '', '| id | title |', '| --- | --- |');
    for (const w of ns.workstreams) out.push(`| ${w.id} | ${cell(w.title)} |`);
  }
  out.push(
    '',
    '## Goals',
    '',
    '| id | title | phase | priority | depends on |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const g of ns.goals) {
    const deps = g.depends_on.length ? g.depends_on.join(', ') : '—';
    out.push(`| ${g.id} | ${cell(g.title)} | ${g.phase} | ${g.priority} | ${deps} |`);
  }
  if (ns.assumptions.length) {
    out.push('', '## Assumptions', '');
    for (const a of ns.assumptions)
      out.push(`- **${a.id}**${a.vetoable ? ' (vetoable)' : ''} — ${cell(a.text)}`);
  }
  if (ns.spend) {
    out.push('', '## Spend', '', `- advisory: ${ns.spend.advisory ? 'yes' : 'no'}`);
    if (ns.spend.note) out.push(`- ${cell(ns.spend.note)}`);
  }
  return out.join('\n') + '\n';
}
