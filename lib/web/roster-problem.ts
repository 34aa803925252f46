/**
 * A page that needs the roster shows what is wrong with it (file:line:column and the field, as
 * `fleet roster validate` and the API say it) instead of a blank 500. Errors from fleetd's
 * bundle are recognised by their code, as in lib/web/errors.ts.
 */
import { errorInfo } from './errors.js';

export interface RosterProblem {
  code: 'ROSTER_INVALID' | 'ROSTER_MISSING';
  message: string;
  /** every issue, one line each, when the roster failed validation */
  lines: string[];
}

interface IssueLike {
  file?: unknown;
  line?: unknown;
  column?: unknown;
  path?: unknown;
  message?: unknown;
}

function issueLine(i: IssueLike): string {
  const where = typeof i.path === 'string' && i.path ? ` ${i.path}:` : '';
  return `${String(i.file)}:${String(i.line)}:${String(i.column)}:${where} ${String(i.message)}`;
}

export function rosterProblem(e: unknown): RosterProblem | null {
  const info = errorInfo(e);
  if (info?.code !== 'ROSTER_INVALID' && info?.code !== 'ROSTER_MISSING') return null;
  const issues = (e as { issues?: unknown }).issues;
  const lines = Array.isArray(issues)
    ? issues.slice(0, 50).map((i: IssueLike) => issueLine(i))
    : [];
  return { code: info.code, message: info.message, lines };
}

/** Run a page's roster-dependent load; a roster problem comes back as data to render. */
export async function orRosterProblem<T>(
  load: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; problem: RosterProblem }> {
  try {
    return { ok: true, value: await load() };
  } catch (e) {
    const problem = rosterProblem(e);
    if (problem) return { ok: false, problem };
    throw e;
  }
}
