/**
 * The agent page's timeline chart as an echarts option (components/agent/agent-timeline.tsx):
 * one row per kind on a time axis — cards worked, waits for a human, restarts and takeovers —
 * spans drawn by a custom series, starts and returns as marks. Pure: a view in, an option out.
 */
import type {
  CustomSeriesRenderItemAPI,
  CustomSeriesRenderItemParams,
  CustomSeriesRenderItemReturn,
} from 'echarts';
import type { TimelineView } from '@/lib/timeline/contract';
import { describeEntry, formatDuration, type TimelineEntry } from '@/lib/timeline/rules';

export const ROWS = ['Cards', 'Waits', 'Restarts & takeovers'] as const;

/** One colour per kind, so a reader (and a test) can tell them apart. */
export const COLORS = {
  card: '#0ea5e9',
  wait: '#f59e0b',
  takeover: '#a855f7',
  start: '#475569',
  crash: '#e11d48',
  returned: '#7c3aed',
} as const;

const rowOf = (e: TimelineEntry): number =>
  e.kind === 'card' || e.kind === 'returned' ? 0 : e.kind === 'wait' ? 1 : 2;

/** The entry's index rides along in each datum, for the tooltip and the click. */
export interface Datum {
  value: [number, number, number, number];
  itemStyle: { color: string };
}

export function spanData(v: TimelineView): Datum[] {
  return v.entries.flatMap((e, i): Datum[] =>
    e.kind === 'card' || e.kind === 'wait' || e.kind === 'takeover'
      ? [
          {
            value: [rowOf(e), Date.parse(e.start), Date.parse(e.end), i],
            itemStyle: { color: COLORS[e.kind] },
          },
        ]
      : [],
  );
}

export function markData(v: TimelineView): Datum[] {
  return v.entries.flatMap((e, i): Datum[] => {
    if (e.kind === 'start') {
      const color = e.reason === 'crash' ? COLORS.crash : COLORS.start;
      const t = Date.parse(e.start);
      return [{ value: [rowOf(e), t, t, i], itemStyle: { color } }];
    }
    if (e.kind === 'returned') {
      const t = Date.parse(e.start);
      return [{ value: [rowOf(e), t, t, i], itemStyle: { color: COLORS.returned } }];
    }
    return [];
  });
}

/** A span as a bar in its row, at least 3 px wide so a short one can still be seen and clicked. */
function renderSpan(
  params: CustomSeriesRenderItemParams,
  api: CustomSeriesRenderItemAPI,
): CustomSeriesRenderItemReturn {
  const row = api.value(0) as number;
  const [x0, y] = api.coord([api.value(1), row]) as [number, number];
  const [x1] = api.coord([api.value(2), row]) as [number, number];
  const height = (api.size!([0, 1]) as number[])[1]! * 0.55;
  const box = params.coordSys as unknown as { x: number; y: number; width: number };
  const left = Math.max(x0, box.x);
  const right = Math.min(Math.max(x1, x0 + 3), box.x + box.width);
  if (right <= left) return null;
  return {
    type: 'rect',
    shape: { x: left, y: y - height / 2, width: right - left, height, r: 2 },
    style: { fill: api.visual('color') as string },
  };
}

const time = (iso: string) => new Date(iso).toLocaleString();

export function tooltipText(e: TimelineEntry): string {
  const lines = [`${e.kind} · ${time(e.start)}`, describeEntry(e)];
  if ('duration_s' in e) lines.push(`${formatDuration(e.duration_s)}${e.open ? ' so far' : ''}`);
  if (e.kind === 'card') lines.push('click to open the card');
  return lines.join('\n');
}

export function timelineOption(v: TimelineView) {
  return {
    animation: false,
    grid: { left: 150, right: 24, top: 12, bottom: 36 },
    tooltip: {
      trigger: 'item' as const,
      // text, never HTML: titles and evidence come from cards and panes
      renderMode: 'richText' as const,
      formatter: (p: { value?: unknown }) => {
        const i = (p.value as number[] | undefined)?.[3];
        const e = i === undefined ? undefined : v.entries[i];
        return e ? tooltipText(e) : '';
      },
    },
    xAxis: {
      type: 'time' as const,
      min: Date.parse(v.since),
      max: Math.max(Date.parse(v.until), Date.parse(v.now)),
    },
    yAxis: {
      type: 'category' as const,
      data: [...ROWS],
      inverse: true,
      axisTick: { show: false },
    },
    series: [
      {
        type: 'custom' as const,
        name: 'spans',
        renderItem: renderSpan,
        encode: { x: [1, 2], y: 0 },
        data: spanData(v),
      },
      {
        type: 'scatter' as const,
        name: 'marks',
        symbol: 'diamond',
        symbolSize: 12,
        encode: { x: 1, y: 0 },
        data: markData(v),
      },
    ],
  };
}
