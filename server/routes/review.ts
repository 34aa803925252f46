/**
 * Review, the merge gate's answers and the worktrees of repo cards over the socket API
 * (docs/review.md): every route calls the one operation in lib/ops/review.ts or
 * lib/ops/worktrees.ts. A ReviewView and the worktree answers carry tenant_id and host already.
 */
import { z } from 'zod';
import {
  approveInput,
  pruneInput,
  requestChangesInput,
  reviewShowInput,
} from '@/lib/review/contract.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

export function registerReviewRoutes(
  router: Router,
  { identity, review, worktrees }: FleetServices,
): void {
  router
    .post('/v1/review/list', z.strictObject({}), async () => ({
      ...identity,
      reviews: await review.list(),
    }))
    .post('/v1/review/show', reviewShowInput, (i) => review.show(i))
    .post('/v1/review/approve', approveInput, (i) => review.approve(i))
    .post('/v1/review/request-changes', requestChangesInput, (i) => review.requestChanges(i))
    .post('/v1/worktree/list', z.strictObject({}), () => worktrees.list())
    .post('/v1/worktree/prune', pruneInput, (i) => worktrees.prune(i));
}
