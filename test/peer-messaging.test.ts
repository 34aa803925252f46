/**
 * Agents talk to each other the way their contract says (docs/contract.md "Fleet comms"): a
 * worker asks a peer a question with `fleet agent send … --verify --source <self>`, the peer
 * sees it labelled `[from <worker>]` and answers the sender the same way. Both sends are
 * verified. The stub stands in for a model: `$ fleet …` typed into it runs that fleet command,
 * and it answers a `question:` from a peer. Real tmux, stub agents, the built CLI.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { upAndAvailable } from './support/terminals.js';
import { testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleet: TestFleet | undefined;
afterEach(() => {
  fleet?.cleanup();
  fleet = undefined;
});

describe('peer messaging', () => {
  it('a worker asks a peer and gets the answer back, both sends verified', async () => {
    const f = testFleet([
      { name: 'orch', class: 'orchestrator' },
      { name: 'enh', class: 'enhancer' },
      { name: 'w0', class: 'worker' },
      { name: 'w1', class: 'worker' },
    ]);
    fleet = f;
    await upAndAvailable(f, 4);
    const ask = await f.run([
      'agent',
      'send',
      'w0',
      '$ fleet agent send w1 --verify --source w0 "question: which card is next"',
      '--verify',
    ]);
    expect(ask.code, ask.stderr).toBe(0);
    const got = (what: string) => f.stubLog().some((m) => m.text.includes(what));
    await until(() => got('[from w0] question: which card is next'), 'w1 got the question');
    await until(
      () => got('[from w1] answer: which card is next is understood by w1'),
      'w0 got the answer',
    );
    // each stub printed its send's exit code: 0 means the peer accepted it (docs/contract.md)
    const pane = (name: string) =>
      f.tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', `=${name}:`]);
    await until(() => /fleet agent exited 0/.test(pane('w0')), "w0's send accepted");
    await until(() => /fleet agent exited 0/.test(pane('w1')), "w1's answer accepted");
  });
});
