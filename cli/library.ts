import type { Command } from 'commander';
import { FleetError } from '../lib/errors.js';
import { loadLibrary } from '../lib/library/index.js';
import { listPresets } from '../lib/library/presets.js';
import { listRuntimes } from '../lib/runtimes/registry.js';
import { printJson, type CliContext } from './context.js';
import { renderTable as table } from './table.js';

function notFound(kind: string, id: string, known: Iterable<string>): FleetError {
  return new FleetError('NOT_FOUND', `unknown ${kind} "${id}" (known: ${[...known].join(', ')})`);
}

export function registerLibrary(program: Command, ctx: CliContext): void {
  const profiles = program
    .command('profiles')
    .description('presets and system-type profiles for fleet init');
  profiles
    .command('list')
    .option('--json')
    .action((f: { json?: boolean }) => {
      const lib = loadLibrary(ctx.home);
      const presets = listPresets().map((p) => ({ id: p.id, description: p.description }));
      const systemTypes = [...lib.profiles.values()].map((p) => ({
        id: p.id,
        title: p.title,
        lead: p.lead,
        seats: p.roster.reduce((n, r) => n + (r.multiplicity ?? 1), 0),
        origin: p.origin,
      }));
      if (f.json) return printJson(ctx, { presets, system_types: systemTypes });
      ctx.out('Presets (fleet init --profile <id>):');
      ctx.out(
        table(
          ['ID', 'DESCRIPTION'],
          presets.map((p) => [p.id, p.description]),
        ),
      );
      ctx.out('');
      ctx.out('System types (fleet init --system-type <id>):');
      ctx.out(
        table(
          ['ID', 'TITLE', 'LEAD', 'SEATS', 'FROM'],
          systemTypes.map((p) => [p.id, p.title, p.lead, String(p.seats), p.origin]),
        ),
      );
    });
  profiles
    .command('show <id>')
    .option('--json')
    .action((id: string, f: { json?: boolean }) => {
      const lib = loadLibrary(ctx.home);
      const p = lib.profiles.get(id);
      if (!p) throw notFound('system type', id, lib.profiles.keys());
      if (f.json) return printJson(ctx, p);
      ctx.out(`${p.title} (${p.id}) — ${p.file}`);
      ctx.out(p.description.trim());
      ctx.out(`lead: ${p.lead}   floor: ${p.floor.join(', ')}`);
      ctx.out(
        table(
          ['CLASS', 'REPORTS_TO', 'SEATS', 'NOTES'],
          p.roster.map((r) => [
            r.class,
            r.reports_to ?? '-',
            String(r.multiplicity ?? 1),
            r.notes?.trim() ?? '',
          ]),
        ),
      );
    });

  const roles = program.command('roles').description('the persona library');
  roles
    .command('list')
    .option('--domain <domain>')
    .option('--json')
    .action((f: { json?: boolean; domain?: string }) => {
      const all = [...loadLibrary(ctx.home).roles.values()].filter(
        (r) => !f.domain || r.domain === f.domain,
      );
      if (f.json)
        return printJson(
          ctx,
          all.map(({ body: _b, ...r }) => r),
        );
      ctx.out(
        table(
          ['CLASS', 'DOMAIN', 'PERSISTENT', 'SUMMARY'],
          all.map((r) => [r.class, r.domain, r.persistent ? 'yes' : 'no', r.summary]),
        ),
      );
    });
  roles
    .command('show <class>')
    .option('--json')
    .action((cls: string, f: { json?: boolean }) => {
      const lib = loadLibrary(ctx.home);
      const r = lib.roles.get(cls);
      if (!r) throw notFound('role', cls, lib.roles.keys());
      if (f.json) return printJson(ctx, r);
      ctx.out(
        `# ${r.title} (${r.class}) — ${r.domain}, ${r.persistent ? 'persistent' : 'task-scoped'} — ${r.file}`,
      );
      ctx.out(r.body);
    });

  program
    .command('runtimes')
    .description('the runtime registry')
    .option('--json')
    .action((f: { json?: boolean }) => {
      const rows = listRuntimes().map((r) => ({
        id: r.id,
        title: r.title,
        bin: r.bin,
        reset_command: r.resetCommand,
        model: r.supportsModel,
        yolo: r.supportsYolo,
        channels: r.supportsChannels,
        yolo_flags: r.args({ yolo: true, channels: [] }).join(' '),
      }));
      if (f.json) return printJson(ctx, rows);
      ctx.out(
        table(
          ['ID', 'BIN', 'RESET', 'YOLO', 'CHANNELS', 'TITLE'],
          rows.map((r) => [
            r.id,
            r.bin,
            r.reset_command,
            r.yolo ? r.yolo_flags : 'n/a',
            r.channels ? 'yes' : 'no',
            r.title,
          ]),
        ),
      );
    });
}
