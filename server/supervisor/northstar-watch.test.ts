import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanTarget } from '@/lib/ops/plan.js';
import type { CardView } from '@/lib/store/contract.js';
import { NorthStarWatch } from './northstar-watch.js';

const ns = (titles: string[]) => `version: 1
mission: test
goals:
${titles.map((t, i) => `  - id: G${i}\n    title: ${t}\n    phase: 1\n    priority: must-have`).join('\n')}
`;

/** A backlog in memory that records what the plan did to it. */
function memoryBacklog() {
  const cards = new Map<string, CardView>();
  const calls: string[] = [];
  const target: PlanTarget = {
    cards: async () => [...cards.values()],
    create: async (i) => {
      calls.push(`create ${i.id}`);
      cards.set(i.id!, {
        id: i.id!,
        title: i.title,
        body: i.body ?? '',
        phase: i.phase ?? null,
        priority: i.priority ?? 0,
        assignee_class: i.assignee_class ?? null,
        depends_on: i.depends_on ?? [],
        acceptance: i.acceptance ?? { criteria: [] },
        projected_spend: i.projected_spend ?? null,
      } as unknown as CardView);
    },
    update: async (i) => {
      calls.push(`update ${i.id}`);
      const c = cards.get(i.id)!;
      cards.set(i.id, { ...c, ...(i.title ? { title: i.title } : {}) });
    },
    link: async (i) => void calls.push(`link ${i.id}`),
    unlink: async (i) => void calls.push(`unlink ${i.id}`),
  };
  return { target, calls };
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('NORTH_STAR.yaml watch', () => {
  it('plans a new or changed file once, and nothing when it is unchanged', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mf-ns-'));
    const file = path.join(dir, 'NORTH_STAR.yaml');
    const { target, calls } = memoryBacklog();
    const logs: string[] = [];
    const w = new NorthStarWatch(file, target, (l) => logs.push(l));
    expect(await w.check()).toBeNull(); // no file: nothing to do, no error
    writeFileSync(file, ns(['first']));
    expect(await w.check()).toMatchObject({ goals: 1, created: 1 });
    expect(await w.check()).toBeNull();
    writeFileSync(file, ns(['first', 'second']));
    expect(await w.check()).toMatchObject({ goals: 2, created: 1 });
    expect(calls).toEqual(['create G0', 'create G1']);
  });

  it('an invalid file changes nothing and keeps its error until it is fixed', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mf-ns-'));
    const file = path.join(dir, 'NORTH_STAR.yaml');
    const { target, calls } = memoryBacklog();
    const logs: string[] = [];
    const w = new NorthStarWatch(file, target, (l) => logs.push(l));
    writeFileSync(file, 'version: 1\nmission: test\ngoals:\n  - id: G0\n    phase: 1\n');
    expect(await w.check()).toBeNull();
    expect(w.error).toMatch(/NORTH_STAR\.yaml:\d+:\d+:.*title/);
    expect(await w.check()).toBeNull();
    expect(logs).toHaveLength(1); // once per version of the file
    expect(calls).toEqual([]);
    writeFileSync(file, ns(['fixed']));
    expect(await w.check()).toMatchObject({ created: 1 });
    expect(w.error).toBeNull();
  });
});
