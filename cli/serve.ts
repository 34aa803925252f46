import { removeOwnPidfile } from '../lib/run/pidfile.js';
import { usage } from '../lib/errors.js';
import { loadRoster } from '../lib/roster/load.js';
import type { Register } from './commands.js';
import { forwardedServeFlags, serveArgv } from './connect.js';
import { printJson } from './context.js';
import { addWebOptions } from '../server/web/options.js';
import type { WebFlags } from '../server/web/options.js';

export const registerServe: Register = (program, ctx) => {
  addWebOptions(program.command('serve'))
    .description('run fleetd, the one process that owns the store and serves the local API')
    .option('--detach', 'start it in the background (pidfile run/fleetd.pid, log run/fleetd.log)')
    .option('--json', 'print JSON (with --detach)')
    .option('--no-supervise', 'do not run the supervisor (no reconcile, no dispatch)')
    .option('--tick <ms>', 'supervisor tick interval in ms (default 5000)')
    .option(
      '--lease-ttl <s>',
      "how long a claim lasts without its fleetd renewing it; a stopped host's cards return after it (default 300)",
    )
    .action(
      async (
        opts: {
          detach?: boolean;
          json?: boolean;
          supervise?: boolean;
          tick?: string;
          leaseTtl?: string;
        } & WebFlags,
      ) => {
        if (opts.detach) {
          const { startDetached } = await import('../lib/client/daemon.js');
          const argv = serveArgv(forwardedServeFlags());
          const r = await startDetached({ home: ctx.home, argv, env: ctx.env });
          if (opts.json) printJson(ctx, { ...r.health, already_running: r.alreadyRunning });
          else
            ctx.out(
              `fleetd ${r.alreadyRunning ? 'already running' : 'started'} (pid ${r.health.pid}) on ${ctx.home.socket}`,
            );
          return;
        }
        // loaded only here, so short CLI calls never parse the store or the server
        const { runFleetd } = await import('../server/fleetd.js');
        const { webComponentFor } = await import('../server/web/serve.js');
        const { acceptanceGuard, supervisorComponent } =
          await import('../server/supervisor/component.js');
        const { connectorService } = await import('../server/connectors/service.js');
        const { screenBeatComponent } = await import('../server/supervisor/screen-beat.js');
        const { fleetDepsFor } = await import('../lib/ops/fleet-view.js');
        const { readEnvFile } = await import('../lib/env-file.js');
        const log = (line: string) => ctx.err(`${new Date().toISOString()} ${line}`);
        // fleetd's settings and a connector's secret: its environment, else $FLEET_HOME/fleetd.env,
        // the file the systemd unit reads too, so fleetd is the same however it was started
        const fileEnv = readEnvFile(ctx.home.fleetdEnv);
        if (fileEnv.warning) log(fileEnv.warning);
        // (a variable set to nothing counts as not set)
        const settings: NodeJS.ProcessEnv = {
          ...fileEnv.vars,
          ...Object.fromEntries(Object.entries(ctx.env).filter(([, v]) => v)),
        };
        const webFor = webComponentFor({ home: ctx.home, env: ctx.env, log }, opts);
        const tickMs = opts.tick === undefined ? undefined : Number(opts.tick);
        if (tickMs !== undefined && !(tickMs >= 50))
          throw usage('--tick must be a number of ms ≥ 50');
        const leaseTtlSeconds = opts.leaseTtl === undefined ? undefined : Number(opts.leaseTtl);
        if (leaseTtlSeconds !== undefined && !(leaseTtlSeconds >= 1))
          throw usage('--lease-ttl must be a number of seconds ≥ 1');
        const supervise = opts.supervise !== false;
        await runFleetd({
          // acceptance checks run where the supervisor runs (it delivered the card)
          completionGuard: supervise ? acceptanceGuard(ctx.home, log) : undefined,
          // fleetd's composition: the supervisor (unless --no-supervise) and the web panel
          compose: (services) => {
            const deps = () =>
              fleetDepsFor({
                home: ctx.home,
                env: ctx.env,
                host: services.identity.host,
                pause: services.pause,
                log,
                agentEvents: services.agentEvents,
              });
            const web = webFor(services);
            // other hosts' panels link here to watch this host's terminals
            services.register.panelUrl = () => settings.FLEET_PANEL_URL || web.url() || null;
            const connector = connectorService({
              home: ctx.home,
              env: settings,
              services,
              deps,
              panelUrl: () => settings.FLEET_PANEL_URL || web.url() || null,
              log,
            });
            const sup = supervise
              ? supervisorComponent(services, {
                  home: ctx.home,
                  env: ctx.env,
                  log,
                  tickMs,
                  leaseTtlSeconds,
                  onAttention: (r) =>
                    void connector
                      .notify(r)
                      .catch((e: unknown) => log(`connector: notify: ${(e as Error).message}`)),
                })
              : undefined;
            // the heartbeat of every agent whose runtime writes none, read off its screen; with
            // or without the supervisor, since `fleet ps` reads it (docs/runtimes.md "Heartbeats")
            const beat = screenBeatComponent({
              home: ctx.home,
              env: ctx.env,
              host: services.identity.host,
              log,
            });
            return {
              components: [beat, ...(sup ? [sup] : []), web, connector],
              supervisor: sup?.control,
              users: web.users,
              connector,
            };
          },
          home: ctx.home,
          env: ctx.env,
          databaseUrl: settings.DATABASE_URL || undefined,
          tenantId: settings.FLEET_TENANT_ID || rosterTenant(ctx.home.roster),
          host: settings.FLEET_HOST || undefined,
          log,
        });
        removeOwnPidfile(ctx.home);
      },
    );
};

/** The roster's tenant_id, when there is a readable roster (FLEET_TENANT_ID wins). */
function rosterTenant(file: string): string | undefined {
  try {
    return loadRoster(file).roster.tenant_id;
  } catch {
    return undefined;
  }
}
