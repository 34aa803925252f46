'use server';
/**
 * The one-time setup link: creates the first operator account while none exists. The token
 * (printed by `fleet serve`) stands in for the session every other action requires.
 */
import { z } from 'zod';
import { createUserInput, type CreatedUser } from '../../lib/auth/users.js';
import type { ActionResult } from '../../lib/web/action.js';
import { errorInfo } from '../../lib/web/errors.js';
import { getWebServices } from '../../lib/web/services.js';

const setupInput = createUserInput.extend({ token: z.string().min(1) });

export async function createFirstUserAction(raw: unknown): Promise<ActionResult<CreatedUser>> {
  const s = getWebServices();
  // the token is checked first: it stands where the session check is in every other action
  const token = (raw as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !s.setup.check(token) || (await s.users.count()) > 0) {
    return {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'this setup link is no longer valid' },
    };
  }
  const parsed = setupInput.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'INVALID',
        message: i ? `${i.path.join('.')}: ${i.message}` : 'invalid input',
      },
    };
  }
  const { token: _token, ...input } = parsed.data;
  try {
    const user = await s.users.create(input);
    s.setup.revoke();
    return { ok: true, data: user };
  } catch (e) {
    const info = errorInfo(e);
    if (info) return { ok: false, error: info };
    throw e;
  }
}
