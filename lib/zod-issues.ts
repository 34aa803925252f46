/**
 * One way to say what is wrong with an input that failed its zod schema, for every edge: the
 * socket API, the web API, server actions and CLI flags. Each issue reads `field.path: message`;
 * an issue about the whole input names `fallback` instead of a field.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const issuePath = (i: Issue, fallback = '(body)'): string =>
  i.path.length ? i.path.map(String).join('.') : fallback;

/** The first few issues, one clause each. */
export function describeIssues(issues: readonly Issue[], fallback?: string, max = 5): string {
  return issues
    .slice(0, max)
    .map((i) => `${issuePath(i, fallback)}: ${i.message}`)
    .join('; ');
}

/** The first message per field, for a form that shows each beside its input. */
export function fieldErrors(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[issuePath(i, '_')] ??= i.message;
  return out;
}
