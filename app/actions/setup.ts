'use server';
/**
 * The one-time setup link: creates the first operator account while none exists. The token
 * (printed by `fleet serve`) stands in for the session every other action requires, and it is
 * consumed before anything is awaited, so of any number of concurrent requests one at most
 * proceeds (docs/security.md "Accounts").
 */
import { z } from 'zod';
import { createUserInput, type CreatedUser } from '@/lib/auth/users.js';
import type { ActionResult } from '@/lib/web/action.js';
import { errorInfo } from '@/lib/web/errors.js';
import { describeIssues } from '@/lib/zod-issues.js';
import { getWebServices } from '@/lib/web/services.js';

const setupInput = createUserInput.extend({ token: z.string().min(1) });

const linkGone = { code: 'FORBIDDEN', message: 'this setup link is no longer valid' };
const invalidLink = { ok: false, error: linkGone } as const;

export async function createFirstUserAction(raw: unknown): Promise<ActionResult<CreatedUser>> {
  const s = getWebServices();
  const token = (raw as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !s.setup.check(token)) return invalidLink;
  const parsed = setupInput.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'INVALID', message: describeIssues(parsed.error.issues, '(form)', 1) },
    };
  }
  if (!s.setup.consume(token)) return invalidLink;
  const { token: _token, ...input } = parsed.data;
  try {
    return { ok: true, data: await s.users.createFirst(input) };
  } catch (e) {
    // nothing was made: the link works again, unless an account exists now
    if ((await s.users.count()) === 0) s.setup.restore(token);
    const info = errorInfo(e);
    if (info) return { ok: false, error: info.code === 'FORBIDDEN' ? linkGone : info };
    throw e;
  }
}
