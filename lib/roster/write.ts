import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, type Document } from 'yaml';
import { AgentNotFound, FleetError, FloorViolation, RosterConflict } from '../errors.js';
import { mkdirPrivate, writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import { agentEnvVars, renderEnvFile } from './env.js';
import { hashText, parseRoster, type LoadedRoster } from './load.js';
import { resolveAll } from './resolve.js';
import { removalBlocker } from './rules.js';
import type { RosterAgent } from './schema.js';

/**
 * Save an edited roster document: validate the new text first (so a bad edit changes nothing),
 * then refuse if the file on disk is no longer what was read, then write atomically.
 */
export function saveRoster(loaded: LoadedRoster, doc: Document = loaded.doc): LoadedRoster {
  const text = doc.toString();
  const next = parseRoster(text, loaded.file);
  assertUnchanged(loaded.file, loaded.hash);
  writeFileAtomic(loaded.file, text);
  return next;
}

/** Replace the roster file with new text, guarded by the hash the caller read. */
export function replaceRosterText(
  file: string,
  text: string,
  expectedHash: string | null,
): LoadedRoster {
  const next = parseRoster(text, file);
  assertUnchanged(file, expectedHash);
  writeFileAtomic(file, text);
  return next;
}

function assertUnchanged(file: string, expectedHash: string | null): void {
  const exists = existsSync(file);
  if (expectedHash === null) {
    if (exists) throw new RosterConflict(file);
    return;
  }
  if (!exists || hashText(readFileSync(file, 'utf8')) !== expectedHash)
    throw new RosterConflict(file);
}

function agentsSeq(doc: Document) {
  const seq = doc.get('agents', true);
  if (!isSeq(seq)) throw new FleetError('ROSTER_INVALID', 'roster has no agents list');
  return seq;
}

function indexOfAgent(loaded: LoadedRoster, name: string): number {
  const i = loaded.roster.agents.findIndex((a) => a.name === name);
  if (i < 0)
    throw new AgentNotFound(
      name,
      loaded.roster.agents.map((a) => a.name),
    );
  return i;
}

/** Document edits: each returns a new Document, leaving `loaded.doc` untouched. */
export function withAgentAdded(loaded: LoadedRoster, agent: RosterAgent): Document {
  if (loaded.roster.agents.some((a) => a.name === agent.name)) {
    throw new FleetError('AGENT_EXISTS', `agent "${agent.name}" already exists in ${loaded.file}`);
  }
  const doc = loaded.doc.clone();
  const node = doc.createNode(stripUndefined(agent));
  agentsSeq(doc).items.push(node);
  return doc;
}

export function withAgentRemoved(loaded: LoadedRoster, name: string): Document {
  const i = indexOfAgent(loaded, name);
  const blocker = removalBlocker(loaded.roster.agents, name);
  if (blocker) throw new FloorViolation(blocker);
  const doc = loaded.doc.clone();
  agentsSeq(doc).items.splice(i, 1);
  return doc;
}

/** Set (or, with `undefined`, delete) fields of one agent, keeping the rest of the node as is. */
export function withAgentFields(
  loaded: LoadedRoster,
  name: string,
  fields: Partial<Record<keyof RosterAgent, unknown>>,
): Document {
  const i = indexOfAgent(loaded, name);
  const doc = loaded.doc.clone();
  const node = agentsSeq(doc).items[i];
  if (!isMap(node)) throw new FleetError('ROSTER_INVALID', `agents[${i}] is not a mapping`);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) node.delete(key);
    else node.set(key, doc.createNode(value));
  }
  // `model` supersedes the older alias; keep only one so they can't disagree
  if ('model' in fields) node.delete('model_hint');
  if ('runtime' in fields) node.delete('harness');
  return doc;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Regenerate agents/<name>.env for every agent; remove env files of agents no longer listed. */
export function writeAgentEnvFiles(home: FleetHome, loaded: LoadedRoster, only?: string): string[] {
  mkdirPrivate(home.agentsDir);
  const written: string[] = [];
  const agents = resolveAll(loaded.roster);
  for (const a of agents) {
    if (only && a.name !== only) continue;
    const file = home.agentEnv(a.name);
    writeFileAtomic(file, renderEnvFile(agentEnvVars(a)), 0o600);
    written.push(file);
  }
  if (!only) {
    const keep = new Set(agents.map((a) => `${a.name}.env`));
    for (const f of readdirSync(home.agentsDir)) {
      if (f.endsWith('.env') && !keep.has(f)) rmSync(path.join(home.agentsDir, f), { force: true });
    }
  }
  return written;
}
