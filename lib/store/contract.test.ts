import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { normalizeText } from '../send/text.js';
import { createCardInput, updateCardInput } from './contract.js';

/** The one-line answer an edge gives (as server/router.ts describes issues): field, then why. */
function refusal(schema: z.ZodType, input: unknown): string {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

const CONTROLS = [
  ['ESC', '\x1b', 'U+001B'],
  ['NUL', '\x00', 'U+0000'],
  ['ETX (C-c)', '\x03', 'U+0003'],
  ['CSI (C1)', '\x9b', 'U+009B'],
] as const;

const base = { title: 'a card' };
const withAcceptance = (a: { criteria: string[]; check?: string }) => ({ ...base, acceptance: a });

describe('card text refuses control characters (create and update)', () => {
  for (const [name, ch, code] of CONTROLS) {
    describe(name, () => {
      const bad = `ab${ch}c`;
      /** the refusal names the field first, then the character and where it sits */
      const names = (msg: string, field: string, offset: number) => {
        expect(
          msg.startsWith(`${field}: contains control character ${code} at offset ${offset}`),
          msg,
        ).toBe(true);
        expect(msg).not.toContain(ch); // one printable line
      };

      it('in the title', () => {
        names(refusal(createCardInput, { title: bad }), 'title', 2);
        names(refusal(updateCardInput, { id: 'c1', title: bad }), 'title', 2);
      });

      it('in the body', () => {
        names(refusal(createCardInput, { ...base, body: `line one\n${bad}` }), 'body', 11);
        names(refusal(updateCardInput, { id: 'c1', body: bad }), 'body', 2);
      });

      it('in an acceptance criterion and in the check', () => {
        const criteria = { criteria: ['fine', bad] };
        names(refusal(createCardInput, withAcceptance(criteria)), 'acceptance.criteria.1', 2);
        names(
          refusal(updateCardInput, { id: 'c1', acceptance: criteria }),
          'acceptance.criteria.1',
          2,
        );
        const check = { criteria: [], check: `true${ch}` };
        names(refusal(createCardInput, withAcceptance(check)), 'acceptance.check', 4);
        names(refusal(updateCardInput, { id: 'c1', acceptance: check }), 'acceptance.check', 4);
      });
    });
  }

  it('in a label or an idempotency key (phase, class, actor)', () => {
    expect(refusal(createCardInput, { ...base, phase: 'p\x1b' })).toMatch(/^phase: .*U\+001B/);
    expect(refusal(updateCardInput, { id: 'c1', assignee_class: 'x\ny' })).toMatch(
      /^assignee_class: .*U\+000A at offset 1 \(LF\)/,
    );
    expect(refusal(createCardInput, { ...base, idempotency_key: 'k\x00' })).toMatch(
      /^idempotency_key: .*U\+0000/,
    );
    expect(refusal(createCardInput, { ...base, actor: 'me\x7f' })).toMatch(/^actor: .*U\+007F/);
  });

  it('keeps the title and the check on one line: no line break, no tab', () => {
    expect(refusal(createCardInput, { title: 'two\nlines' })).toMatch(
      /^title: .*U\+000A at offset 3 \(LF\); one line/,
    );
    expect(refusal(createCardInput, { title: 'a\tb' })).toMatch(/^title: .*U\+0009.*\(HT\)/);
    expect(
      refusal(createCardInput, withAcceptance({ criteria: [], check: 'test -f a\nrm -rf b' })),
    ).toMatch(/^acceptance\.check: .*U\+000A/);
  });

  it('allows line breaks and tabs in the body and the criteria, and reads CRLF as LF', () => {
    const created = createCardInput.parse({
      title: '  Ship it  ',
      body: 'step 1:\tbuild\r\nstep 2:\ttest\rdone',
      acceptance: { criteria: ['a\tb\nc'], check: 'npm test' },
    });
    expect(created.title).toBe('Ship it');
    expect(created.body).toBe('step 1:\tbuild\nstep 2:\ttest\ndone');
    expect(created.acceptance?.criteria).toEqual(['a\tb\nc']);
    const updated = updateCardInput.parse({ id: 'c1', body: 'x\r\ny' });
    expect(updated.body).toBe('x\ny');
  });

  it('allows printable text beyond ASCII, which delivery types as it is', () => {
    const title = 'Café — 日本語 ✓ 🚀';
    expect(createCardInput.parse({ title }).title).toBe(title);
    expect(normalizeText(title)).toBe(title);
  });
});
