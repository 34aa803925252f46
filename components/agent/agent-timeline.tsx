'use client';
import { useQuery } from '@tanstack/react-query';
import { ScatterChart, CustomChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { TimelineView } from '@/lib/timeline/contract';
import { describeEntry, formatDuration } from '@/lib/timeline/rules';
import { fetchJson } from '@/lib/web/fetch-json';
import { fleetKeys } from '@/lib/web/query-keys';
import { ErrorNote } from '../ui';
import { timelineOption } from './timeline-option';

// only what the chart uses: a time grid, the spans, the marks, tooltips, drawn as SVG
echarts.use([CustomChart, ScatterChart, GridComponent, TooltipComponent, SVGRenderer]);

const SPANS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
type Span = keyof typeof SPANS;

const cardHref = (id: string) => `/backlog?card=${encodeURIComponent(id)}`;

/** The chart: echarts owns the element; React only hands it the option and the click. */
function Chart({ view, onCard }: { view: TimelineView; onCard(id: string): void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef({ view, onCard });
  latest.current = { view, onCard };
  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => {
      const i = (p.value as number[] | undefined)?.[3];
      const e = i === undefined ? undefined : latest.current.view.entries[i];
      if (e?.kind === 'card') latest.current.onCard(e.card);
    });
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(timelineOption(view), { notMerge: true });
  }, [view]);
  return <div ref={el} className="h-48 w-full" data-testid="timeline-chart" />;
}

/**
 * Who did what, for the agent page: the cards it worked, its waits for a human, its restarts and
 * takeovers over the last hour, day or week (lib/ops/timeline.ts), as a chart and as a list.
 */
export function AgentTimeline({ name }: { name: string }) {
  const router = useRouter();
  const [span, setSpan] = useState<Span>('24h');
  const q = useQuery({
    queryKey: fleetKeys.timeline(name, span),
    queryFn: () => {
      const since = new Date(Date.now() - SPANS[span]).toISOString();
      return fetchJson<TimelineView>(
        `/api/v1/agents/${encodeURIComponent(name)}/timeline?since=${encodeURIComponent(since)}`,
      );
    },
    // read again when a card, an inbox item or the fleet's rows change (the push channel)
  });
  const view = q.data;
  return (
    <section
      className="space-y-2 rounded-md bg-white p-3 text-sm ring-1 ring-slate-200"
      data-testid="agent-timeline"
    >
      <div className="flex items-center gap-2">
        <h2 className="font-medium text-slate-700">Timeline</h2>
        <div className="ml-auto flex gap-1">
          {(Object.keys(SPANS) as Span[]).map((s) => (
            <button
              key={s}
              type="button"
              onClick={() => setSpan(s)}
              data-testid={`timeline-span-${s}`}
              className={`rounded px-2 py-0.5 text-xs ${s === span ? 'bg-slate-800 text-white' : 'bg-slate-100 text-slate-700 hover:bg-slate-200'}`}
            >
              {s}
            </button>
          ))}
        </div>
      </div>
      <ErrorNote message={q.error ? (q.error as Error).message : null} testId="timeline-error" />
      {view && <Chart view={view} onCard={(id) => router.push(cardHref(id))} />}
      {view && view.entries.length === 0 && (
        <p className="text-slate-500" data-testid="timeline-empty">
          Nothing happened in the last {span}.
        </p>
      )}
      {view && view.entries.length > 0 && (
        <details>
          <summary className="cursor-pointer text-slate-600">
            As a list ({view.entries.length})
          </summary>
          <ol className="mt-2 space-y-0.5 font-mono text-xs">
            {view.entries.map((e, i) => (
              <li key={i} data-testid="timeline-entry" data-kind={e.kind}>
                <span className="text-slate-500">{new Date(e.start).toLocaleString()}</span>{' '}
                <span className="font-semibold">{e.kind}</span>{' '}
                {e.kind === 'card' ? (
                  <Link className="text-indigo-700 hover:underline" href={cardHref(e.card)}>
                    {describeEntry(e)}
                  </Link>
                ) : (
                  describeEntry(e)
                )}
                {'duration_s' in e && (
                  <span className="text-slate-500">
                    {' '}
                    · {formatDuration(e.duration_s)}
                    {e.open ? ' so far' : ''}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
