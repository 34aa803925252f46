import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../lib/fsutil.js';
import { loadNorthStar } from '../lib/northstar/load.js';
import { renderNorthStar } from '../lib/northstar/render.js';
import { printJson, type CliContext } from './context.js';

export function registerNorthStar(program: Command, ctx: CliContext): void {
  const ns = program
    .command('northstar')
    .description('the machine-readable mission (NORTH_STAR.yaml)');
  ns.command('validate')
    .option('--file <path>', 'NORTH_STAR.yaml (default: FLEET_HOME/NORTH_STAR.yaml)')
    .option('--json')
    .action((f: { file?: string; json?: boolean }) => {
      const file = f.file ?? ctx.home.northStar;
      const doc = loadNorthStar(file);
      if (f.json) return printJson(ctx, { file, valid: true, goals: doc.goals.length });
      ctx.out(`${file}: ok, ${doc.goals.length} goals`);
    });
  ns.command('render')
    .description('write the Markdown projection (same YAML → same bytes)')
    .option('--file <path>', 'NORTH_STAR.yaml (default: FLEET_HOME/NORTH_STAR.yaml)')
    .option('--out <path>', 'output file (default: NORTH_STAR.md beside the YAML; - for stdout)')
    .action((f: { file?: string; out?: string }) => {
      const file = f.file ?? ctx.home.northStar;
      const md = renderNorthStar(loadNorthStar(file), path.basename(file));
      if (f.out === '-') return ctx.out(md.trimEnd());
      const out = f.out ?? path.join(path.dirname(file), 'NORTH_STAR.md');
      writeFileAtomic(out, md);
      ctx.err(`wrote ${out}`);
    });
}
