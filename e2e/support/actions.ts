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

/** The page an action's first caller is (`app/(panel)/inbox/page` → `/inbox`). */
export function actionPage(a: ServerAction): string {
  const worker = Object.keys(a.workers)[0]!;
  return `/${worker
    .split('/')
    .slice(1, -1)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join('/')}`;
}

/** Call a server action raw, as a browser's form of that page would, with these headers. */
export function callAction(
  url: string,
  id: string,
  args: unknown[],
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'next-action': id,
      accept: 'text/x-component',
      'content-type': 'text/plain;charset=UTF-8',
      ...headers,
    },
    body: JSON.stringify(args),
  });
}
