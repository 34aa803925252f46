/** Operator accounts for `fleet user create`, made by the web component's user operations. */
import { z } from 'zod';
import { createUserInput } from '@/lib/auth/users.js';
import type { UserOps } from '@/lib/web/services.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

export function registerUserRoutes(
  router: Router,
  { identity }: FleetServices,
  users: UserOps | undefined,
): void {
  if (!users) return;
  router
    .post('/v1/users/create', createUserInput, async (i) => ({
      ...identity,
      user: await users.create(i),
    }))
    .post('/v1/users/count', z.strictObject({}), async () => ({
      ...identity,
      count: await users.count(),
    }));
}
