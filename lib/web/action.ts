/**
 * The one shape of every server action (docs/architecture.md "Web"): require a session → authorize →
 * safeParse → call a lib function → return a typed result → revalidate. Actions hold no logic.
 */
// Next refuses to bundle this for the browser: it reads the session or answers requests.
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import type { SessionUser } from '../auth/auth.js';
import { authorize, type Permission } from './authorize.js';
import { fieldErrors } from '../zod-issues.js';
import { errorInfo } from './errors.js';
import { getWebServices, type WebServices } from './services.js';
import { currentUser } from './session.js';

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

export interface ActionSpec<S extends z.ZodType> {
  schema: S;
  permission: Permission;
  revalidate?: string[];
}

export async function runAction<S extends z.ZodType, T>(
  spec: ActionSpec<S>,
  raw: unknown,
  call: (input: z.output<S>, user: SessionUser, services: WebServices) => Promise<T> | T,
): Promise<ActionResult<T>> {
  const user = await currentUser();
  if (!user) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'sign in first' } };
  if (!authorize(user, spec.permission)) {
    return { ok: false, error: { code: 'FORBIDDEN', message: `not allowed: ${spec.permission}` } };
  }
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error.issues);
    const first = Object.entries(fields)[0];
    return {
      ok: false,
      error: {
        code: 'INVALID',
        message: first ? `${first[0]}: ${first[1]}` : 'invalid input',
        fields,
      },
    };
  }
  try {
    const data = await call(parsed.data, user, getWebServices());
    for (const p of spec.revalidate ?? []) revalidatePath(p);
    return { ok: true, data };
  } catch (e) {
    const info = errorInfo(e);
    if (info) return { ok: false, error: info };
    throw e;
  }
}
