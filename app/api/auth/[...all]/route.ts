/**
 * better-auth's endpoints, narrowed to what the panel uses (SERVED_AUTH_PATHS): sign in, sign
 * out, read the session. Sign-up and the rest are not served — accounts come from
 * `fleet user create` or the one-time setup link.
 */
import { AUTH_BASE_PATH, SERVED_AUTH_PATHS } from '@/lib/auth/auth.js';
import { jsonError } from '@/lib/web/route.js';
import { getWebServices } from '@/lib/web/services.js';
import { signIn } from '@/lib/web/sign-in.js';

export const dynamic = 'force-dynamic';

function handle(req: Request): Promise<Response> | Response {
  const sub = new URL(req.url).pathname.slice(AUTH_BASE_PATH.length);
  if (!(SERVED_AUTH_PATHS as readonly string[]).includes(sub))
    return jsonError(404, 'NOT_FOUND', `no auth route ${sub}`);
  const s = getWebServices();
  if (sub === '/sign-in/email' && req.method === 'POST') return signIn(req, s.auth, s.signIn);
  return s.auth.handler(req);
}

export { handle as GET, handle as POST };
