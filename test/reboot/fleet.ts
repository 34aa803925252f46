import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Container, User } from './container.js';
import { RebootFailure, describe, ok, type Ran } from './proc.js';
import { APP_DIR } from './root.js';

/**
 * The fleet inside the container, driven as its user through nsenter: the built `fleet` CLI
 * with the user's environment and XDG_RUNTIME_DIR, never a login. Files of FLEET_HOME are also
 * read and written from the host side of the root (they are the same files).
 */
export class ContainerFleet {
  /** FLEET_HOME inside the container: the default, as an operator would have it */
  readonly home: string;

  constructor(
    private readonly c: Container,
    readonly user: User,
    private readonly hostRoot: string,
  ) {
    this.home = path.join(user.home, '.config', 'mosaic', 'fleet');
  }

  /** A path inside the container, seen from the host. */
  onHost(inside: string): string {
    return path.join(this.hostRoot, inside);
  }

  cli(args: readonly string[], timeoutMs = 60_000): Promise<Ran> {
    return this.c.exec(['node', `${APP_DIR}/dist/fleet.cjs`, ...args], {
      timeoutMs,
      user: this.user,
    });
  }

  /** A command as the user (systemctl --user, journalctl --user …). */
  asUser(argv: readonly string[], timeoutMs = 30_000): Promise<Ran> {
    return this.c.exec(argv, { timeoutMs, user: this.user });
  }

  async must(args: readonly string[], timeoutMs = 60_000): Promise<Ran> {
    const r = await this.cli(args, timeoutMs);
    if (!ok(r)) throw new RebootFailure(`fleet ${args.join(' ')} failed: ${describe(r)}`);
    return r;
  }

  /** `fleet … --json`, parsed; null when the command failed (fleetd not up yet, …). */
  async json<T>(args: readonly string[], schema: z.ZodType<T>): Promise<T | null> {
    const r = await this.cli([...args, '--json']);
    if (!ok(r)) return null;
    try {
      return schema.parse(JSON.parse(r.stdout));
    } catch (e) {
      throw new RebootFailure(
        `fleet ${args.join(' ')} --json printed what this test cannot read: ${(e as Error).message}`,
      );
    }
  }

  /** Write a file of FLEET_HOME as the user would own it. */
  writeHomeFile(name: string, text: string, mode: number): void {
    const file = this.onHost(path.join(this.home, name));
    writeFileSync(file, text, { mode });
    chownSync(file, this.user.uid, this.user.gid);
  }

  /**
   * The demo preset's orchestrator files cards from a replan queue and its enhancer files one per
   * digest: cards of their own would mix with the DAG whose exactly-once completion is judged.
   * Drop those two switches from roster.yaml (yaml Document API: the rest stays as written).
   */
  quietPlanners(): string[] {
    const file = this.onHost(path.join(this.home, 'roster.yaml'));
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const agents = doc.get('agents');
    const dropped: string[] = [];
    if (!isSeq(agents)) throw new RebootFailure(`${file}: no agents list`);
    for (const a of agents.items) {
      if (!isMap(a)) continue;
      const env = a.get('env');
      if (!isMap(env)) continue;
      for (const key of ['MOSAIC_STUB_PLAN_QUEUE', 'MOSAIC_STUB_FILE_DIGEST']) {
        if (env.has(key)) {
          env.delete(key);
          dropped.push(`${String(a.get('name'))}: ${key}`);
        }
      }
      if (!env.items.length) a.delete('env');
    }
    writeFileSync(file, doc.toString());
    return dropped;
  }
}
