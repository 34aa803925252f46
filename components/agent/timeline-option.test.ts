import { describe, expect, it } from 'vitest';
import type { TimelineView } from '@/lib/timeline/contract';
import { COLORS, markData, spanData, timelineOption, tooltipText } from './timeline-option';

const T = (min: number) => new Date(Date.UTC(2026, 0, 1, 10, min)).toISOString();
const view: TimelineView = {
  tenant_id: 't',
  host: 'h',
  agent: 'w1',
  agent_host: 'h',
  since: T(0),
  until: T(60),
  now: T(60),
  entries: [
    { kind: 'start', start: T(1), epoch: 1, reason: 'start', by: 'supervisor' },
    {
      kind: 'card',
      card: 'c1',
      title: 'first',
      owner: 'w1@h#1',
      outcome: 'completed',
      ended_by: 'w1@h#1',
      start: T(2),
      end: T(10),
      open: false,
      duration_s: 480,
    },
    {
      kind: 'wait',
      item: 'a-1',
      reason: 'permission',
      title: 'asks',
      card: null,
      start: T(3),
      end: T(4),
      open: false,
      duration_s: 60,
    },
    { kind: 'start', start: T(20), epoch: 2, reason: 'crash', by: 'supervisor' },
    { kind: 'takeover', who: 'ann', start: T(30), end: T(60), open: true, duration_s: 1800 },
  ],
};

describe('the timeline chart', () => {
  it('puts spans and marks in their rows, each carrying its entry', () => {
    expect(spanData(view).map((d) => [d.value[0], d.value[3], d.itemStyle.color])).toEqual([
      [0, 1, COLORS.card],
      [1, 2, COLORS.wait],
      [2, 4, COLORS.takeover],
    ]);
    expect(markData(view).map((d) => [d.value[0], d.value[3], d.itemStyle.color])).toEqual([
      [2, 0, COLORS.start],
      [2, 3, COLORS.crash],
    ]);
  });

  it('says what each entry was, and that a card opens on a click', () => {
    expect(tooltipText(view.entries[1]!)).toMatch(/c1 "first": completed[\s\S]*8m[\s\S]*click/);
    expect(tooltipText(view.entries[4]!)).toMatch(/taken over by ann \(held\)[\s\S]*so far/);
    const opt = timelineOption(view);
    expect(opt.xAxis.min).toBe(Date.parse(T(0)));
    expect(opt.tooltip.formatter({ value: [0, 0, 0, 3] })).toMatch(/restarted after a crash/);
  });
});
