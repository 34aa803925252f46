import { isMap, isNode, isPair, isScalar, LineCounter, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { SourceIssue } from '../errors.js';

export type PathKey = string | number;

/** `agents[2].name` — the field path as an operator reads it. */
function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}

/** The deepest node that exists along `path`, and whether it is the exact node asked for. */
function nearestNode(
  doc: Document,
  path: readonly PathKey[],
): { node: Node | null; exact: boolean } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return { node, exact: n === path.length };
  }
  return { node: null, exact: false };
}

/** The key node of `key` inside the map at `path`, for "unknown field" issues. */
function keyNode(doc: Document, path: readonly PathKey[], key: string): Node | null {
  const parent = path.length ? doc.getIn(path, true) : doc.contents;
  if (!isMap(parent)) return null;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.key;
  }
  return null;
}

function positionOf(lc: LineCounter, node: Node | null): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

/** Build an issue located at the field (or its nearest existing parent). */
export function issueAt(
  file: string,
  doc: Document,
  lc: LineCounter,
  path: readonly PathKey[],
  message: string,
  node?: Node | null,
): SourceIssue {
  const found = node !== undefined ? { node, exact: true } : nearestNode(doc, path);
  const pos = positionOf(lc, found.node);
  return { file, ...pos, path: formatPath(path), message };
}

/** zod issues located in the YAML source: unknown keys at the key, missing fields at the parent. */
export function zodIssuesAt(
  file: string,
  doc: Document,
  lc: LineCounter,
  error: z.ZodError,
): SourceIssue[] {
  return error.issues.map((iss) => {
    const path = iss.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (iss.code === 'unrecognized_keys') {
      const key = iss.keys[0] ?? '';
      return issueAt(
        file,
        doc,
        lc,
        [...path, key],
        `unknown field "${key}"`,
        keyNode(doc, path, key),
      );
    }
    const missing = iss.code === 'invalid_type' && doc.getIn(path, true) === undefined;
    return issueAt(file, doc, lc, path, missing ? 'is required' : iss.message);
  });
}
