import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/**
 * run/<name>.session.json: the conversation an agent's runtime holds, so a restart (a crash, an
 * update, a reboot) reopens it rather than starting from nothing (docs/runtimes.md "Resume").
 * Written by the launcher when it picks the id, and by `fleet hook` when the runtime reports
 * one (Claude Code starts a new conversation on `/clear`; codex names its thread at each turn).
 */
export interface SessionRecord {
  runtime: string;
  /** the runtime's conversation id; null for a runtime that can only reopen its latest one */
  id: string | null;
  /** the working directory the conversation belongs to */
  cwd: string;
  /** the launch epoch that last wrote this record */
  epoch: number;
  /** who said so: the launcher chose it, or the runtime reported it */
  source: 'launch' | 'runtime';
  at: string;
  /**
   * sha256 of the contract this conversation holds as a message (typed after launch), or null
   * when none was typed into it; a resumed conversation that holds the current contract is not
   * given it again
   */
  contract_sha256: string | null;
}

const file = (home: FleetHome, name: string): string => home.agentRunFile(name, 'session.json');

export function readSession(home: FleetHome, name: string): SessionRecord | null {
  try {
    const raw = JSON.parse(readFileSync(file(home, name), 'utf8')) as Partial<SessionRecord>;
    if (typeof raw.runtime !== 'string' || typeof raw.cwd !== 'string') return null;
    return {
      runtime: raw.runtime,
      id: typeof raw.id === 'string' && raw.id ? raw.id : null,
      cwd: raw.cwd,
      epoch: typeof raw.epoch === 'number' ? raw.epoch : 0,
      source: raw.source === 'runtime' ? 'runtime' : 'launch',
      at: typeof raw.at === 'string' ? raw.at : '',
      contract_sha256: typeof raw.contract_sha256 === 'string' ? raw.contract_sha256 : null,
    };
  } catch {
    return null;
  }
}

export function writeSession(home: FleetHome, name: string, s: SessionRecord): void {
  writeFileAtomic(file(home, name), JSON.stringify(s, null, 2) + '\n', 0o600);
}

/** Forget the conversation: the next start is a fresh one. */
export function clearSession(home: FleetHome, name: string): void {
  rmSync(file(home, name), { force: true });
}

/**
 * A runtime reported the id of the conversation it is in (a hook): record it, keeping what the
 * record knew about the contract when it is the same conversation.
 */
export function recordReportedSession(
  home: FleetHome,
  name: string,
  r: { runtime: string; id: string; cwd: string; epoch: number; now: Date },
): void {
  const prev = readSession(home, name);
  if (prev && prev.id === r.id && prev.runtime === r.runtime) return;
  writeSession(home, name, {
    runtime: r.runtime,
    id: r.id,
    // the launch's working directory, as the launcher recorded it: the runtime may report from
    // wherever its process now stands
    cwd: prev?.cwd ?? r.cwd,
    epoch: r.epoch,
    source: 'runtime',
    at: r.now.toISOString(),
    // a new conversation (Claude Code after `/clear`) holds no typed contract yet
    contract_sha256: null,
  });
}

/** The contract `sha256` was typed into the recorded conversation. */
export function recordContractGiven(home: FleetHome, name: string, sha256: string): void {
  const prev = readSession(home, name);
  if (!prev) return;
  writeSession(home, name, { ...prev, contract_sha256: sha256 });
}
