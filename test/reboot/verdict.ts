import { z } from 'zod';

/**
 * What the reboot test reads from `fleet … --json` (only the fields it judges), and the pure
 * judgements over it: no IO here, so each rule reads as a plain function of what was observed.
 */
export const psSchema = z.object({
  agents: z.array(
    z.object({
      name: z.string(),
      managed: z.boolean(),
      session: z.string(),
      health: z.string(),
      readiness: z.string(),
      epoch: z.number().nullable(),
      conversation: z.enum(['resumed', 'fresh']).nullable().optional(),
    }),
  ),
});
export type PsAgent = z.infer<typeof psSchema>['agents'][number];

export const statusSchema = z.object({
  server: z.boolean(),
  agents: z.number(),
  alive: z.number(),
});

const cardSchema = z.object({
  id: z.string(),
  status: z.string(),
  depends_on: z.array(z.string()),
  claim_owner: z.string().nullable(),
  claimed_at: z.string().nullable(),
  fence: z.number(),
});
export type Card = z.infer<typeof cardSchema>;
export const cardsSchema = z.object({ cards: z.array(cardSchema) });
export const createdSchema = z.object({ card: cardSchema });

const eventSchema = z.object({
  seq: z.number(),
  card_id: z.string(),
  kind: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type CardEvent = z.infer<typeof eventSchema>;
export const eventsSchema = z.object({ events: z.array(eventSchema) });

export interface DagCard {
  id: string;
  deps: string[];
}

/** Seven cards in four layers: two workers keep both busy, and a layer is mid-work often. */
export const DAG: readonly DagCard[] = [
  { id: 'rb-1', deps: [] },
  { id: 'rb-2', deps: [] },
  { id: 'rb-3', deps: ['rb-1'] },
  { id: 'rb-4', deps: ['rb-1', 'rb-2'] },
  { id: 'rb-5', deps: ['rb-3', 'rb-4'] },
  { id: 'rb-6', deps: ['rb-4'] },
  { id: 'rb-7', deps: ['rb-5', 'rb-6'] },
];

/** A claim held when the reboot was ordered. */
export interface Held {
  id: string;
  owner: string;
  fence: number;
  /** its agent had just started working on it (not still being handed it, not near its end) */
  midWork: boolean;
}

export interface DagVerdict {
  problems: string[];
  /** held claims the supervisor took back after the reboot (from the old spawn epoch) */
  reclaimed: string[];
  /** claims still being delivered at the shutdown: fleetd gave them back as a failed attempt */
  releasedAtShutdown: string[];
  /** held claims whose agent completed them before the shutdown reached it (a race, allowed) */
  finishedBeforeShutdown: string[];
}

const fenceOf = (e: CardEvent): unknown => e.detail.fence;

/**
 * Every DAG card done, with exactly one `completed` event; never claimed before each of its
 * dependencies completed; the claim whose work had just started at the reboot reclaimed from
 * its old incarnation. Another held claim may instead have been given back by fleetd as the
 * shutdown ended its delivery, or (a race) completed just before; either way it is done once.
 */
export function judgeDag(
  dag: readonly DagCard[],
  cards: readonly Card[],
  events: readonly CardEvent[],
  held: readonly Held[],
): DagVerdict {
  const v: DagVerdict = {
    problems: [],
    reclaimed: [],
    releasedAtShutdown: [],
    finishedBeforeShutdown: [],
  };
  const of = (id: string, kind: string) =>
    events.filter((e) => e.card_id === id && e.kind === kind);
  for (const c of dag) {
    const card = cards.find((x) => x.id === c.id);
    if (card?.status !== 'done') v.problems.push(`${c.id} is ${card?.status ?? 'missing'}`);
    const completed = of(c.id, 'completed');
    if (completed.length !== 1)
      v.problems.push(
        `${c.id} has ${completed.length} completed events (${completed.map((e) => `#${e.seq} by ${e.actor}`).join(', ') || 'none'}), not exactly one`,
      );
    for (const dep of c.deps) {
      const depDone = of(dep, 'completed')[0];
      for (const claim of of(c.id, 'claimed'))
        if (!depDone || claim.seq < depDone.seq)
          v.problems.push(
            `${c.id} was claimed (#${claim.seq}) before its dependency ${dep} completed`,
          );
    }
  }
  for (const h of held) {
    const by = (kind: string) => of(h.id, kind).some((e) => fenceOf(e) === h.fence);
    if (by('reclaimed')) v.reclaimed.push(h.id);
    else if (h.midWork)
      v.problems.push(
        `${h.id} was mid-work by ${h.owner} (fence ${h.fence}) at the reboot and was not reclaimed from that incarnation`,
      );
    else if (by('failed')) v.releasedAtShutdown.push(h.id);
    else if (by('completed')) v.finishedBeforeShutdown.push(h.id);
    else
      v.problems.push(
        `${h.id}, held by ${h.owner} (fence ${h.fence}) at the reboot, was neither reclaimed, released nor completed`,
      );
  }
  if (!held.some((h) => h.midWork))
    v.problems.push('no claim was mid-work at the reboot: the test did not exercise a reclaim');
  return v;
}

/**
 * Every roster agent alive and healthy (answering heartbeats), and under a newer spawn epoch than
 * `before` says (null: any epoch, for the first start); `mustResume` came back on their
 * conversation (docs/operations.md "Resume").
 */
export function judgeAgentsBack(
  before: ReadonlyMap<string, number | null>,
  after: readonly PsAgent[],
  mustResume: readonly string[] = [],
): string | null {
  const problems: string[] = [];
  for (const [name, epoch] of before) {
    const a = after.find((x) => x.name === name);
    if (!a) problems.push(`${name} missing from fleet ps`);
    else if (a.session !== 'alive') problems.push(`${name} session ${a.session}`);
    else if (a.health !== 'healthy') problems.push(`${name} health ${a.health}`);
    else if (epoch !== null && (a.epoch === null || a.epoch <= epoch))
      problems.push(`${name} epoch ${a.epoch} (was ${epoch}): not a new incarnation`);
    else if (mustResume.includes(name) && a.conversation !== 'resumed')
      problems.push(
        `${name} came back on a ${a.conversation ?? 'unknown'} conversation, not its own`,
      );
  }
  return problems.length ? problems.join('; ') : null;
}
