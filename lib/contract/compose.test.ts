import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentNotFound, FleetError, RosterInvalid } from '@/lib/errors.js';
import { fleetHome } from '@/lib/home.js';
import { loadRoles } from '@/lib/library/roles.js';
import { parseNorthStar } from '@/lib/northstar/load.js';
import { parseRoster } from '@/lib/roster/load.js';
import { CONTRACT_MAX_BYTES } from './budget.js';
import { composeCommsBlock, composeContract, type ContractInput } from './compose.js';
import { PEERS_LISTED } from './comms.js';
import { contractFleet } from './fleet.js';
import { loadContractInput } from './load.js';
import { NO_OVERLAYS, type ContractOverlays } from './overlays.js';

const ROSTER = `version: 2
tmux:
  socket_name: sock-t
agents:
  - name: orchestrator
    alias: Mos
    runtime: stub
    class: orchestrator
    role: planner
  - name: enhancer
    runtime: stub
    class: enhancer
  - name: coder0
    runtime: stub
    class: implementer
    role: code
    reset_between_tasks: true
  - name: far
    runtime: stub
    class: implementer
    role: code
    host: box-b
    ssh: ops@box-b
  - name: idle
    runtime: stub
    class: canary
    enabled: false
`;

const NORTH_STAR = `version: 1
mission: Keep the lights on.
standing_objectives:
  - id: NS-1
    text: Nothing breaks twice.
goals:
  - id: G1
    title: Write the runbook
    phase: 1
    priority: must-have
`;

const roles = loadRoles();
const northStar = parseNorthStar(NORTH_STAR, 'NORTH_STAR.yaml');

function input(
  agent: string,
  opts: { roster?: string; overlays?: ContractOverlays; host?: string } = {},
): ContractInput {
  const loaded = parseRoster(opts.roster ?? ROSTER, '/fh/roster.yaml');
  return {
    agent,
    fleet: contractFleet(loaded, opts.host ?? 'host-a'),
    roles,
    northStar,
    overlays: opts.overlays ?? NO_OVERLAYS,
  };
}

const headings = (text: string) => text.split('\n').filter((l) => /^##? /.test(l));

describe('composeContract', () => {
  it('lays out identity, role, mission, duties and comms, and reports each section', () => {
    const c = composeContract(input('coder0'));
    expect(headings(c.text)).toEqual([
      '# Fleet contract: coder0',
      '## Identity',
      '## Your role: Code',
      '## Mission',
      '## Your class: implementer (a worker class)',
      '## Fleet comms',
    ]);
    expect(c).toMatchObject({ agent: 'coder0', tenant_id: 'default', host: 'host-a' });
    expect(c.sections.map((s) => s.id)).toEqual(['identity', 'role', 'mission', 'duties', 'comms']);
    expect(c.bytes).toBe(Buffer.byteLength(c.text));
    expect(c.text.endsWith('\n') && !c.text.endsWith('\n\n')).toBe(true);
    expect(c.text).toContain('| tmux | session `coder0` on socket `sock-t` |');
    expect(c.text).toContain('`fleet backlog complete --id <id> --owner <owner> --fence <n>`');
  });

  it('gives the same bytes for the same inputs, read from disk or built in memory', () => {
    const home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-contract-')));
    writeFileSync(home.roster, ROSTER);
    writeFileSync(home.northStar, NORTH_STAR);
    const a = composeContract(loadContractInput(home, 'coder0', { host: 'host-a' }));
    const b = composeContract(loadContractInput(home, 'coder0', { host: 'host-a' }));
    expect(b.text).toBe(a.text);
    const reordered = new Map([...roles].reverse());
    const c = composeContract({ ...input('coder0'), roles: reordered });
    expect(c.text).toBe(composeContract(input('coder0')).text);
    expect(a.text).toBe(c.text);
  });

  it('shows the alias, the persona of the role and the class rules of the orchestrator', () => {
    const c = composeContract(input('orchestrator'));
    expect(c.text).toContain('| alias | Mos |');
    expect(c.text).toContain('| role | planner (Planner) |');
    expect(c.text).toMatch(/### Mandate\n\n1\. Play the fleet's orchestrator/);
    expect(c.text).toContain('`fleet agent add <name> --runtime <runtime> --class <class>');
    expect(c.text).toContain('`fleet plan --dry-run`');
    expect(c.text).toMatch(/### Goals[\s\S]*\| G1 \| Write the runbook \| must-have \| — \|/);
  });

  it('falls back to the library role named like the class, and copes with neither', () => {
    const enhancer = composeContract(input('enhancer'));
    expect(enhancer.text).toContain('## Your role: Enhancer');
    expect(enhancer.text).toContain("none set: your role below is the library's one");
    expect(enhancer.text).toContain('do not:\n\n- write or change product code, review code');
    const idle = composeContract(input('idle'));
    expect(idle.text).toContain('the persona library has no persona for your class, `canary`');
    // workers see the mission and objectives, not the goal table
    expect(idle.text).toContain('Nothing breaks twice.');
    expect(idle.text).not.toContain('### Goals');
  });

  it('says so when there is no NORTH_STAR.yaml', () => {
    const c = composeContract({ ...input('orchestrator'), northStar: null });
    expect(c.text).toContain('This fleet has no NORTH_STAR.yaml yet');
    expect(c.text).toContain('Setting one is yours to do');
  });

  it('names the agent, the role and where it is declared when the role is not in the library', () => {
    const roster = ROSTER.replace('    role: code\n    reset', '    role: wizard\n    reset');
    const err = (() => {
      try {
        composeContract(input('coder0', { roster }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RosterInvalid);
    expect((err as Error).message).toBe(
      '/fh/roster.yaml:16:11: agents[2].role: agent "coder0": role "wizard" is not in the persona library (fleet roles list shows the roles)',
    );
    // a peer's unknown role is only listed, it does not stop this agent's contract
    expect(() => composeContract(input('orchestrator', { roster }))).not.toThrow();
  });

  it('refuses an agent that is not in the roster', () => {
    expect(() => composeContract(input('ghost'))).toThrow(AgentNotFound);
    expect(() => composeCommsBlock(input('ghost'))).toThrow(/unknown agent "ghost" \(known: /);
  });
});

describe('peers and messaging', () => {
  it('lists every peer with the exact command that reaches it, remote and disabled ones too', () => {
    const c = composeContract(input('coder0'));
    expect(c.text).toContain(
      '| `orchestrator` | Mos | orchestrator | planner | host-a (this host) |',
    );
    expect(c.text).toContain('| `far` | — | implementer | code | box-b |');
    expect(c.text).toContain(
      '- `orchestrator`: `fleet agent send orchestrator --verify --source coder0 "<text>"`',
    );
    expect(c.text).toContain(
      `- \`far\` (on host \`box-b\`): \`printf '%s\\n' "<text>" | ssh ops@box-b fleet agent send far --verify --source coder0 --file -\``,
    );
    expect(c.text).toContain('- `idle`: not running (`enabled: false` in the roster)');
    expect(c.text).not.toContain('| `coder0` |');
    expect(c.text).toContain('labelled `[from coder0]`');
    expect(c.text).toContain('`[from orchestrator] …` is answered with');
  });

  it('views the fleet from the given host: the default-host agents are remote from box-b', () => {
    const block = composeCommsBlock(input('far', { host: 'box-b' }));
    expect(block).toContain('You are `far` on host `box-b`');
    expect(block).toContain('`fleet agent send coder0 --verify --source far "<text>"`');
  });

  it('reaches a peer on another host without ssh through the relay, by <host>:<agent>', () => {
    const roster = ROSTER.replace('host: box-b\n    ssh: ops@box-b', 'host: box-b');
    const c = composeContract(input('coder0', { roster }));
    expect(c.text).toContain(
      '- `far` (on host `box-b`): `fleet agent send box-b:far --verify --source coder0 "<text>"`',
    );
  });

  it('quotes a host that a shell would split, and escapes a pipe in a table cell', () => {
    const roster = ROSTER.replace('host: box-b\n    ssh: ops@box-b', "host: 'box b|c'");
    const c = composeContract(input('coder0', { roster }));
    expect(c.text).toContain('| `far` | — | implementer | code | box b\\|c |');
    expect(c.text).toContain(`| ssh 'box b|c' fleet agent send far`);
  });

  it('counts the peers of a large fleet past the cap and stays in budget with 200 workers', () => {
    const workers = Array.from(
      { length: 200 },
      (_, i) => `  - name: w${i}\n    runtime: stub\n    class: worker\n`,
    ).join('');
    const roster = `${ROSTER}  - name: rev\n    runtime: stub\n    class: reviewer\n${workers}`;
    const c = composeContract(input('w7', { roster }));
    expect(c.bytes).toBeLessThanOrEqual(CONTRACT_MAX_BYTES);
    const reach = c.text.split('\n').filter((l) => /^- `[^`]+`(?: \(on host|:)/.test(l));
    expect(reach).toHaveLength(PEERS_LISTED);
    // the floor, the reviewer and the peers reached another way are always named
    for (const name of ['orchestrator', 'enhancer', 'rev', 'far', 'idle'])
      expect(reach.some((l) => l.startsWith(`- \`${name}\``))).toBe(true);
    expect(c.text).not.toContain('| `w7` |');
    // 205 peers (six agents and 200 workers, less w7 itself): all past the cap are workers here
    const counted = 205 - PEERS_LISTED;
    expect(c.text).toContain(
      `- ${counted} more peers, not listed here: ${counted} \`worker\` on this host.`,
    );
    expect(c.text).toContain('`fleet agent roster` lists every agent.');
    // a fleet at the cap lists everyone, as before
    const small = composeContract(input('coder0'));
    expect(small.text).not.toContain('more peers, not listed here');
  });

  it('comms-block is exactly the contract’s comms section', () => {
    const block = composeCommsBlock(input('coder0'));
    const c = composeContract(input('coder0'));
    expect(block.startsWith('## Fleet comms\n')).toBe(true);
    expect(c.text).toContain(block);
    expect(Buffer.byteLength(block)).toBe(c.sections.find((s) => s.id === 'comms')!.bytes);
    expect(block).not.toContain('## Mission');
    expect(block).not.toContain('## Identity');
  });
});

describe('operator overlays and the budget', () => {
  const overlays = (all: string | null, agent: string | null): ContractOverlays => ({
    all: all === null ? null : { file: '/fh/overlays/_all.md', text: all },
    agent: agent === null ? null : { file: '/fh/overlays/coder0.md', text: agent },
  });

  it('appends the all-agents overlay, then the agent’s own, at the very end', () => {
    const c = composeContract(
      input('coder0', { overlays: overlays('Use UTC.\r\n', '\tPrefer small PRs.\n') }),
    );
    expect(
      c.text.endsWith(
        '## Operator notes for every agent\n\nUse UTC.\n\n## Operator notes for coder0\n\nPrefer small PRs.\n',
      ),
    ).toBe(true);
    expect(c.sections.slice(-2)).toEqual([
      expect.objectContaining({ id: 'overlay-all', file: '/fh/overlays/_all.md' }),
      expect.objectContaining({ id: 'overlay-agent', file: '/fh/overlays/coder0.md' }),
    ]);
  });

  it('skips blank overlays and refuses control characters, naming the file', () => {
    const plain = composeContract(input('coder0'));
    expect(composeContract(input('coder0', { overlays: overlays(' \n\n', null) })).text).toBe(
      plain.text,
    );
    expect(() =>
      composeContract(input('coder0', { overlays: overlays(null, 'red \x1b[31m') })),
    ).toThrow(/^overlay \/fh\/overlays\/coder0\.md contains control character U\+001B/);
  });

  it('refuses a contract over the budget, naming the agent, its size and the overlay', () => {
    const big = 'x'.repeat(CONTRACT_MAX_BYTES);
    const err = (() => {
      try {
        composeContract(input('coder0', { overlays: overlays(big, null) }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FleetError);
    expect((err as FleetError).code).toBe('USAGE');
    expect((err as Error).message).toMatch(
      /^contract for agent "coder0" is \d+ bytes, over the 24576-byte budget \(largest parts in bytes: \/fh\/overlays\/_all\.md \d+, /,
    );
    // just under the budget is fine
    const room = CONTRACT_MAX_BYTES - composeContract(input('coder0')).bytes - 100;
    expect(
      composeContract(input('coder0', { overlays: overlays(null, 'y'.repeat(room)) })).bytes,
    ).toBeLessThanOrEqual(CONTRACT_MAX_BYTES);
  });

  it('reads overlays from FLEET_HOME/overlays: _all.md and <name>.md', () => {
    const home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-contract-')));
    writeFileSync(home.roster, ROSTER);
    mkdirSync(home.overlaysDir);
    writeFileSync(path.join(home.overlaysDir, '_all.md'), 'For all.\n');
    writeFileSync(path.join(home.overlaysDir, 'coder0.md'), 'For coder0.\n');
    const mine = composeContract(loadContractInput(home, 'coder0'));
    expect(mine.text).toMatch(/For all\.\n\n## Operator notes for coder0\n\nFor coder0\.\n$/);
    const theirs = composeContract(loadContractInput(home, 'enhancer'));
    expect(theirs.text).toContain('For all.');
    expect(theirs.text).not.toContain('For coder0.');
    expect(theirs.text).toContain('no NORTH_STAR.yaml');
  });
});
