'use client';
import dagre, { type EdgeLabel, type Point } from '@dagrejs/dagre';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { criticalPath, graphEdges } from '@/lib/backlog/graph';
import type { CardStatusValue, CardView } from '@/lib/store/contract';
import { fetchJson } from '@/lib/web/fetch-json';
import { backlogKeys } from '@/lib/web/query-keys';
import type { BacklogSnapshot } from '@/lib/web/types';
import { StatusBadge } from './status-badge';

const NODE_W = 180;
const NODE_H = 48;

/** Fill and stroke per status, as the Kanban's badges colour them. */
const FILL: Record<CardStatusValue, string> = {
  ready: '#d1fae5',
  claimed: '#e0f2fe',
  review: '#ede9fe',
  blocked: '#ffe4e6',
  done: '#e2e8f0',
};

interface Placed {
  card: CardView;
  x: number;
  y: number;
}

/** Lay the cards out left to right with dagre: a node per card, an edge per dependency. */
function layout(cards: readonly CardView[]) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 48, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of cards) g.setNode(c.id, { width: NODE_W, height: NODE_H });
  const edges = graphEdges(cards);
  for (const e of edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const nodes: Placed[] = cards.map((card) => {
    const n = g.node(card.id);
    return { card, x: n.x - NODE_W / 2, y: n.y - NODE_H / 2 };
  });
  const lines = edges.map((e) => {
    const label = g.edge(e.from, e.to) as EdgeLabel | undefined;
    const points: Point[] = label?.points ?? [];
    return { ...e, points };
  });
  const size = g.graph();
  return { nodes, lines, width: size.width ?? 0, height: size.height ?? 0 };
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The backlog's dependency DAG: cards as nodes coloured by status, an arrow from each card to
 * those that wait for it, the critical path (the longest chain not yet done) drawn in red. Each
 * node opens its card on the Kanban.
 */
export function DagGraph({ initial }: { initial: BacklogSnapshot }) {
  const q = useQuery({
    queryKey: backlogKeys.board(),
    queryFn: () => fetchJson<BacklogSnapshot>('/api/v1/backlog'),
    initialData: initial,
  });
  const cards = q.data.cards;
  const g = useMemo(() => layout(cards), [cards]);
  const path = useMemo(() => criticalPath(cards), [cards]);
  const critical = useMemo(() => new Set(path), [path]);
  if (!cards.length) return <p className="text-sm text-slate-500">No cards yet.</p>;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600" data-testid="critical-path">
        Critical path ({path.length} card{path.length === 1 ? '' : 's'} not done):{' '}
        {path.length ? path.join(' → ') : 'none, every card is done'}
      </p>
      <div className="flex flex-wrap gap-2 text-xs">
        {(Object.keys(FILL) as CardStatusValue[]).map((s) => (
          <StatusBadge key={s} status={s} />
        ))}
      </div>
      <div className="overflow-auto rounded-lg bg-white ring-1 ring-slate-200">
        <svg
          width={g.width}
          height={g.height}
          viewBox={`0 0 ${g.width} ${g.height}`}
          data-testid="dag-graph"
          role="img"
          aria-label="backlog dependency graph"
        >
          <defs>
            {[
              ['arrow', '#64748b'],
              ['arrow-critical', '#e11d48'],
            ].map(([id, fill]) => (
              <marker
                key={id}
                id={id}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="6"
                markerHeight="6"
                orient="auto"
              >
                <path d="M0,0 L10,5 L0,10 z" fill={fill} />
              </marker>
            ))}
          </defs>
          {g.lines.map((l) => {
            const hot = critical.has(l.from) && critical.has(l.to);
            return (
              <polyline
                key={`${l.from}->${l.to}`}
                data-testid={`dag-edge-${l.from}-${l.to}`}
                data-critical={hot ? 'yes' : 'no'}
                points={l.points.map((p) => `${p.x},${p.y}`).join(' ')}
                fill="none"
                stroke={hot ? '#e11d48' : '#94a3b8'}
                strokeWidth={hot ? 2.5 : 1.2}
                markerEnd={hot ? 'url(#arrow-critical)' : 'url(#arrow)'}
              />
            );
          })}
          {g.nodes.map(({ card, x, y }) => (
            <Link key={card.id} href={`/backlog?card=${encodeURIComponent(card.id)}`}>
              <g
                data-testid={`dag-node-${card.id}`}
                data-status={card.status}
                data-critical={critical.has(card.id) ? 'yes' : 'no'}
                transform={`translate(${x},${y})`}
              >
                <title>{`${card.id}: ${card.title} (${card.status})`}</title>
                <rect
                  width={NODE_W}
                  height={NODE_H}
                  rx={8}
                  fill={FILL[card.status]}
                  stroke={critical.has(card.id) ? '#e11d48' : '#cbd5e1'}
                  strokeWidth={critical.has(card.id) ? 2.5 : 1}
                />
                <text x={10} y={19} fontSize={12} fontWeight={600} fill="#0f172a">
                  {short(card.id, 24)}
                </text>
                <text x={10} y={36} fontSize={11} fill="#475569">
                  {short(card.title, 28)}
                </text>
              </g>
            </Link>
          ))}
        </svg>
      </div>
    </div>
  );
}
