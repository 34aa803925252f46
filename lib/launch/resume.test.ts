import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../run/session.js';
import type { ResumeSupport } from '../runtimes/types.js';
import { contractAlreadyHeld, planConversation, type ConversationInput } from './resume.js';
import { findSessionFile } from './session-file.js';

const assigned: ResumeSupport = {
  id: 'assigned',
  start: (id) => ({ argsAfter: ['--session-id', id] }),
  resume: (id) => ({ argsAfter: ['--resume', id ?? ''] }),
};
const latest: ResumeSupport = { id: 'latest', resume: () => ({ argsAfter: ['--continue'] }) };
const reported: ResumeSupport = {
  id: 'reported',
  resume: (id) => ({ argsFirst: ['resume', id ?? ''] }),
};

const rec = (o: Partial<SessionRecord> = {}): SessionRecord => ({
  runtime: 'rt',
  id: 'abc',
  cwd: '/w',
  epoch: 1,
  source: 'launch',
  at: '',
  contract_sha256: null,
  ...o,
});

const input = (o: Partial<ConversationInput> = {}): ConversationInput => ({
  agent: { runtime: 'rt', command: undefined, resume: true, workingDirectory: '/w' },
  adapter: { resume: assigned },
  record: rec(),
  fresh: false,
  exists: () => true,
  newId: () => 'new-id',
  ...o,
});

describe('planConversation', () => {
  it('reopens a recorded conversation the runtime still has', () => {
    expect(planConversation(input())).toEqual({
      conversation: 'resumed',
      id: 'abc',
      wiring: { argsAfter: ['--resume', 'abc'] },
      why: null,
      record: 'keep',
    });
    expect(planConversation(input({ adapter: { resume: reported } })).wiring).toEqual({
      argsFirst: ['resume', 'abc'],
    });
    expect(
      planConversation(input({ adapter: { resume: latest }, record: rec({ id: null }) })),
    ).toMatchObject({ conversation: 'resumed', id: null, wiring: { argsAfter: ['--continue'] } });
  });

  it('starts fresh, and says why, when it cannot', () => {
    const why = (o: Partial<ConversationInput>) => planConversation(input(o)).why;
    expect(why({ record: null })).toBe('no conversation recorded yet');
    expect(why({ exists: () => false })).toBe('rt no longer has conversation abc');
    expect(why({ record: rec({ runtime: 'other' }) })).toMatch(/is other's, the agent now runs rt/);
    expect(why({ record: rec({ cwd: '/elsewhere' }) })).toMatch(/was in \/elsewhere/);
    expect(why({ adapter: { resume: reported }, record: rec({ id: null }) })).toBe(
      'no conversation id was reported',
    );
    expect(why({ fresh: true })).toBe('a new conversation was asked for');
    // an agent that does not resume is fresh without a complaint
    expect(planConversation(input({ agent: { ...input().agent, resume: false } }))).toMatchObject({
      conversation: 'fresh',
      why: null,
      id: 'new-id',
    });
  });

  it('a fresh start records what the next one reopens', () => {
    expect(planConversation(input({ record: null }))).toMatchObject({
      id: 'new-id',
      wiring: { argsAfter: ['--session-id', 'new-id'] },
      record: { runtime: 'rt', id: 'new-id', cwd: '/w', source: 'launch', contract_sha256: null },
    });
    // latest: no id, but a record that this directory has a conversation
    expect(planConversation(input({ adapter: { resume: latest }, record: null }))).toMatchObject({
      id: null,
      wiring: {},
      record: { id: null, source: 'launch' },
    });
    // reported: the runtime will say its id
    expect(planConversation(input({ adapter: { resume: reported }, record: null })).record).toBe(
      'clear',
    );
  });

  it('a runtime without resume, or a roster command, is neither', () => {
    expect(planConversation(input({ adapter: {} }))).toMatchObject({
      conversation: 'fresh',
      wiring: {},
      record: 'clear',
    });
    expect(planConversation(input({ agent: { ...input().agent, command: ['x'] } })).wiring).toEqual(
      {},
    );
  });

  it('a contract typed into a resumed conversation is not typed again', () => {
    expect(
      contractAlreadyHeld({ conversation: 'resumed' }, rec({ contract_sha256: 'h' }), 'h'),
    ).toBe(true);
    // a changed contract is given; so is one into a fresh conversation
    expect(
      contractAlreadyHeld({ conversation: 'resumed' }, rec({ contract_sha256: 'h' }), 'g'),
    ).toBe(false);
    expect(contractAlreadyHeld({ conversation: 'fresh' }, rec({ contract_sha256: 'h' }), 'h')).toBe(
      false,
    );
  });
});

describe('findSessionFile', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('finds a named file, or a matching one below dated folders', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mf-sess-'));
    writeFileSync(path.join(dir, 'a.jsonl'), '');
    expect(findSessionFile({ dir, name: 'a.jsonl' })).toBe(path.join(dir, 'a.jsonl'));
    expect(findSessionFile({ dir, name: 'b.jsonl' })).toBeNull();
    mkdirSync(path.join(dir, '2026', '12', '03'), { recursive: true });
    const f = path.join(dir, '2026', '12', '03', 'rollout-2026-12-03T04-00-00-abc.jsonl');
    writeFileSync(f, '');
    expect(findSessionFile({ dir, name: /-abc\.jsonl$/, recursive: true })).toBe(f);
    expect(findSessionFile({ dir, name: /-abc\.jsonl$/ })).toBeNull();
    expect(findSessionFile({ dir: path.join(dir, 'none'), name: 'x' })).toBeNull();
  });
});
