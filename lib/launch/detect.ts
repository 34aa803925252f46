import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeAdapter } from '../runtimes/types.js';

/**
 * Which runtime runs in a pane, from the argv of the pane's process (`/proc/<pid>/cmdline`)
 * or, where that cannot be read, from tmux's `#{pane_current_command}`. Drift = the roster
 * says one runtime and the pane runs another (shown as drift in `fleet ps`).
 */
const INTERPRETERS = new Set([
  'node',
  'nodejs',
  'bun',
  'deno',
  'python',
  'python3',
  'sh',
  'bash',
  'env',
]);

function scriptWords(argv: readonly string[]): { names: string[]; paths: string[] } {
  const names: string[] = [];
  const paths: string[] = [];
  const first = argv[0] ?? '';
  names.push(path.basename(first));
  paths.push(first);
  if (INTERPRETERS.has(path.basename(first))) {
    // the script is the first word that is not an interpreter flag
    const script = argv.slice(1).find((w) => !w.startsWith('-'));
    if (script) {
      names.push(path.basename(script));
      paths.push(script);
    }
  }
  return { names, paths };
}

/**
 * Does this argv run the adapter's runtime? Its program's name (`bin`), a path inside its npm
 * package (a node wrapper such as codex's, docs/runtimes.md "Findings") or its shipped
 * framework script identify it.
 */
function matchesRuntime(argv: readonly string[], a: RuntimeAdapter): boolean {
  const { names, paths } = scriptWords(argv);
  if (names.includes(a.bin)) return true;
  if (a.npmPackage && paths.some((p) => p.includes(`/node_modules/${a.npmPackage}/`))) return true;
  const script = a.frameworkScript;
  if (script && paths.some((p) => p === script || p.endsWith(`/${script}`))) return true;
  return false;
}

/** The runtime id running in a pane, or null when it matches none of the adapters. */
export function detectRuntime(
  argv: readonly string[] | null,
  currentCommand: string,
  adapters: readonly RuntimeAdapter[],
): string | null {
  if (argv && argv.length) {
    const hit = adapters.find((a) => matchesRuntime(argv, a));
    return hit ? hit.id : null;
  }
  // without the argv, only a distinctive process name says anything
  const hit = adapters.find((a) => a.bin === currentCommand);
  return hit ? hit.id : null;
}

export interface DriftInput {
  rosterRuntime: string;
  /** the roster gives a command override: then the roster's runtime is a label, compare argv */
  commandOverride?: readonly string[];
  argv: readonly string[] | null;
  currentCommand: string;
  adapters: readonly RuntimeAdapter[];
}

/** true: it runs something else; false: it runs the roster runtime; null: cannot tell. */
export function drift(i: DriftInput): boolean | null {
  if (i.commandOverride?.length && i.argv?.length) {
    const want = path.basename(i.commandOverride[0]!);
    return !scriptWords(i.argv).names.includes(want);
  }
  const detected = detectRuntime(i.argv, i.currentCommand, i.adapters);
  if (detected) return detected !== i.rosterRuntime;
  return i.argv?.length ? true : null;
}

/** argv of a process from /proc (Linux); null elsewhere or when it is gone. */
export function readProcessArgv(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const words = raw.split('\0');
    if (words[words.length - 1] === '') words.pop();
    return words.length ? words : null;
  } catch {
    return null;
  }
}
