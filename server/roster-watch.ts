/**
 * roster.yaml is edited by the panel, the CLI, an orchestrator agent or by hand, each in its own
 * process (docs/architecture.md "Operations"): fleetd learns of an edit by watching the file's
 * directory, since an edit replaces the file by rename (invariant 6) and a watch on the file
 * itself would stay on the old inode. A write whose content is the same is not a change.
 */
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Component, Log } from './maintenance.js';

function digest(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null; // gone, or mid-rename: the next event tells
  }
}

export function rosterWatch(file: string, onChange: () => void, log: Log): Component {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let last: string | null = null;
  const look = () => {
    timer = undefined;
    const d = digest(file);
    if (d === last) return;
    last = d;
    onChange();
  };
  return {
    name: 'roster-watch',
    start: async () => {
      last = digest(file);
      try {
        watcher = watch(path.dirname(file), { persistent: false }, (_e, name) => {
          if (name !== path.basename(file)) return;
          timer ??= setTimeout(look, 50);
        });
        watcher.on('error', (e) => log(`roster watch: ${e.message}`));
      } catch (e) {
        log(`roster watch: cannot watch ${path.dirname(file)} (${(e as Error).message})`);
      }
    },
    stop: async () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
