import { describe, expect, it } from 'vitest';
import { CARD_STATUS_VALUES } from './contract.js';
import { planMove } from './moves.js';

describe('planMove', () => {
  it('treats a move to the same column as a no-op', () => {
    for (const s of CARD_STATUS_VALUES)
      expect(planMove(s, s, [])).toEqual({ ok: true, action: 'noop' });
  });

  it('never moves a card out of done', () => {
    for (const to of ['ready', 'claimed', 'blocked'] as const) {
      expect(planMove('done', to, [])).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/final/),
      });
    }
  });

  it('never moves a card into claimed: that needs an owner', () => {
    expect(planMove('ready', 'claimed', [])).toMatchObject({ ok: false });
    expect(planMove('blocked', 'claimed', [])).toMatchObject({ ok: false });
  });

  it('maps the legal moves to their actions', () => {
    expect(planMove('ready', 'blocked', [])).toEqual({ ok: true, action: 'block' });
    expect(planMove('claimed', 'blocked', [])).toEqual({ ok: true, action: 'block' });
    expect(planMove('blocked', 'ready', [])).toEqual({ ok: true, action: 'unblock' });
    expect(planMove('claimed', 'ready', [])).toEqual({ ok: true, action: 'release' });
    expect(planMove('ready', 'done', [])).toEqual({ ok: true, action: 'close' });
    expect(planMove('blocked', 'done', [])).toEqual({ ok: true, action: 'close' });
  });

  it('refuses done while dependencies are open, naming them', () => {
    expect(planMove('ready', 'done', ['A', 'B'])).toEqual({
      ok: false,
      reason: 'cannot be done while it waits on A, B',
    });
  });

  it('a card in review leaves it only through the review: approve, request changes, or block', () => {
    expect(planMove('review', 'done', [])).toMatchObject({ ok: false, reason: /approve/ });
    expect(planMove('review', 'ready', [])).toMatchObject({ ok: false, reason: /request-changes/ });
    expect(planMove('review', 'blocked', [])).toEqual({ ok: true, action: 'block' });
    for (const from of ['ready', 'claimed', 'blocked'] as const)
      expect(planMove(from, 'review', [])).toMatchObject({ ok: false, reason: /reports it done/ });
  });
});
