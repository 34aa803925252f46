/** The panel's server actions as Next's build lists them (.next/server), to call them raw. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './panel.js';

export interface ServerAction {
  exportedName: string;
  /** the pages whose bundles call it */
  workers: Record<string, unknown>;
}

/** `[action id, action]` for every server action, or only those with these exported names. */
export function serverActions(names?: readonly string[]): [string, ServerAction][] {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, ServerAction> };
  return Object.entries(manifest.node).filter(([, a]) => !names || names.includes(a.exportedName));
}
