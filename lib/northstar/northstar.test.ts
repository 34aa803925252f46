import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NorthStarInvalid } from '../errors.js';
import { frameworkDir } from '../framework.js';
import type { CardView } from '../store/contract.js';
import { parseNorthStar } from './load.js';
import { planOps, topoOrder } from './plan.js';
import { renderNorthStar } from './render.js';

const sampleFile = path.join(frameworkDir(), 'northstar', 'NORTH_STAR.sample.yaml');
const sample = readFileSync(sampleFile, 'utf8');

function invalid(text: string): NorthStarInvalid {
  try {
    parseNorthStar(text, 'NS.yaml');
  } catch (e) {
    if (e instanceof NorthStarInvalid) return e;
    throw e;
  }
  throw new Error('expected NorthStarInvalid');
}

const mini = (goals: string) => `version: 1\nmission: m\ngoals:\n${goals}`;

/** Apply plan ops to an in-memory backlog, as fleetd would. */
function apply(ops: ReturnType<typeof planOps>, cards: Map<string, CardView>): void {
  for (const o of ops) {
    if (o.op === 'create') {
      const i = o.input;
      cards.set(i.id!, {
        id: i.id!,
        title: i.title,
        body: i.body ?? '',
        phase: i.phase ?? null,
        priority: i.priority ?? 0,
        assignee_class: i.assignee_class ?? null,
        depends_on: [...(i.depends_on ?? [])],
        acceptance: i.acceptance ?? { criteria: [] },
        projected_spend: i.projected_spend ?? null,
      } as CardView);
    } else if (o.op === 'update') {
      Object.assign(
        cards.get(o.input.id)!,
        Object.fromEntries(Object.entries(o.input).filter(([k]) => k !== 'actor')),
      );
    } else if (o.op === 'link') cards.get(o.id)!.depends_on.push(o.depends_on);
    else
      cards.get(o.id)!.depends_on = cards.get(o.id)!.depends_on.filter((d) => d !== o.depends_on);
  }
}

describe('NORTH_STAR.yaml', () => {
  it('parses the shipped sample', () => {
    const ns = parseNorthStar(sample, sampleFile);
    expect(ns.goals.map((g) => g.id)).toEqual(['D1', 'D2', 'B1', 'B2', 'B3', 'B4', 'L1', 'L2']);
  });

  it('names file:line:column and the field for each kind of error', () => {
    expect(
      invalid(
        mini(
          '  - id: A\n    title: a\n    phase: 1\n    priority: must-have\n    depends_on: [Z]\n',
        ),
      ).message,
    ).toBe('NS.yaml:8:18: goals[0].depends_on[0]: depends on unknown goal "Z"');
    const cyc = invalid(
      mini(
        '  - id: A\n    title: a\n    phase: 1\n    priority: 1\n    depends_on: [B]\n  - id: B\n    title: b\n    phase: 1\n    priority: 1\n    depends_on: [A]\n',
      ),
    );
    expect(cyc.message).toContain('goals[1].depends_on[0]: dependency cycle: B → A → B');
    expect(
      invalid(mini('  - id: A\n    title: a\n    phase: 1\n    priority: urgent\n')).message,
    ).toMatch(/^NS\.yaml:7:15: goals\[0\]\.priority:/);
    expect(
      invalid(
        mini(
          '  - id: A\n    title: a\n    phase: 1\n    priority: 1\n  - id: A\n    title: b\n    phase: 1\n    priority: 1\n',
        ),
      ).message,
    ).toContain('goals[1].id: duplicate id "A"');
    expect(invalid('version: 1\nmission: m\ngoals: []\nmision: typo\n').message).toContain(
      'NS.yaml:4:1: mision: unknown field "mision"',
    );
  });

  it('refuses a goal whose text would make a card with a control character, naming the goal', () => {
    // YAML double quotes spell control characters as escapes: "\e" is ESC, "\x03" is C-c
    const goal = (fields: string) =>
      mini(`  - id: ship\n    phase: 1\n    priority: 1\n${fields}\n`);
    const titled = (field: string) => goal(`    title: fine\n${field}`);
    expect(invalid(goal('    title: "Ship\\e[2J it"')).message).toBe(
      'NS.yaml:7:12: goals[0].title: goal "ship": contains control character U+001B at offset 4 (ESC); one line of printable text only',
    );
    expect(invalid(titled('    body: "line\\nnext\\x03"')).message).toMatch(
      /^NS\.yaml:\d+:\d+: goals\[0\]\.body: goal "ship": contains control character U\+0003 at offset 9 \(ETX\)/,
    );
    expect(
      invalid(titled('    acceptance: { criteria: ["ok", "bad\\0"], check: "true" }')).message,
    ).toContain('goals[0].acceptance.criteria[1]: goal "ship": contains control character U+0000');
    expect(
      invalid(titled('    acceptance: { criteria: [], check: "x\\u009b" }')).message,
    ).toContain(
      'goals[0].acceptance.check: goal "ship": contains control character U+009B at offset 1 (CSI)',
    );
    // the same goal with a line break and a tab in its body is fine
    const ok = parseNorthStar(titled('    body: "step 1:\\tbuild\\nstep 2"'), 'NS.yaml');
    expect(ok.goals[0]!.body).toBe('step 1:\tbuild\nstep 2');
  });

  it('renders the same bytes for the same YAML', () => {
    const a = renderNorthStar(parseNorthStar(sample, 'a'));
    const b = renderNorthStar(parseNorthStar(sample, 'b'));
    expect(a).toBe(b);
    expect(a).toContain('| B4 | Review the API and page | 2 | must-have | B2, B3 |');
  });

  it('plans goals into cards idempotently, in dependency order', () => {
    const ns = parseNorthStar(sample, 'x');
    const cards = new Map<string, CardView>();
    const first = planOps(ns, cards);
    expect(first.filter((o) => o.op === 'create')).toHaveLength(8);
    const order = first.map((o) => (o.op === 'create' ? o.input.id : ''));
    expect(order.indexOf('D2')).toBeLessThan(order.indexOf('B1'));
    apply(first, cards);
    expect(planOps(ns, cards)).toEqual([]);

    const edited = parseNorthStar(
      sample
        .replace('title: Launch checklist', 'title: Launch!')
        .replace('depends_on: [B4, L1]', 'depends_on: [B4]'),
      'x',
    );
    const second = planOps(edited, cards);
    expect(second).toEqual([
      { op: 'update', input: { id: 'L2', actor: 'planner', title: 'Launch!' } },
      { op: 'unlink', id: 'L2', depends_on: 'L1' },
    ]);
    apply(second, cards);
    expect(planOps(edited, cards)).toEqual([]);
  });

  it('orders goals topologically even when listed backwards', () => {
    const ns = parseNorthStar(
      mini(
        '  - id: C\n    title: c\n    phase: 1\n    priority: 1\n    depends_on: [B]\n  - id: B\n    title: b\n    phase: 1\n    priority: 1\n    depends_on: [A]\n  - id: A\n    title: a\n    phase: 1\n    priority: 1\n',
      ),
      'x',
    );
    expect(topoOrder(ns.goals).map((g) => g.id)).toEqual(['A', 'B', 'C']);
  });
});
