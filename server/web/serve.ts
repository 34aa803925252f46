/**
 * `fleet serve`'s hook for the panel: the fleetd component built from its flags (declared by
 * addWebOptions in options.ts). Loaded by cli/serve.ts only when fleetd starts.
 */
import type { FleetHome } from '@/lib/home.js';
import type { Log } from '../maintenance.js';
import type { FleetServices } from '../services.js';
import { webComponent, type WebComponent } from './component.js';
import { webOptions, type WebFlags } from './options.js';

export function webComponentFor(
  ctx: { home: FleetHome; env: NodeJS.ProcessEnv; log: Log },
  flags: WebFlags,
): (services: FleetServices) => WebComponent {
  const opts = webOptions(flags, ctx.env);
  return (services) =>
    webComponent(
      { ...opts, home: ctx.home, env: ctx.env, log: ctx.log, checkBoot: true },
      services,
    );
}
