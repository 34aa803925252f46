/**
 * Who did what (lib/ops/timeline.ts): one agent's timeline, and the recording of an agent event
 * by a CLI process that started, took over or released an agent (the CLI never opens the store).
 */
import { agentEventInput, timelineInput } from '@/lib/timeline/contract.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

export function registerTimelineRoutes(
  router: Router,
  { identity, timeline }: FleetServices,
): void {
  router
    .post('/v1/agents/timeline', timelineInput, (i) => timeline.timeline(i))
    .post('/v1/agents/events', agentEventInput, async (i) => {
      await timeline.record(i);
      return { ...identity, recorded: true };
    });
}
