/**
 * Route handlers of the JSON API (/api/v1/…, docs/api.md): the session first (401 with no
 * body of data otherwise), then authorization, input validation, one service call, and the
 * typed errors mapped to statuses once.
 */
// Next refuses to bundle this for the browser: it reads the session or answers requests.
import 'server-only';
import type { z } from 'zod';
import type { SessionUser } from '../auth/auth.js';
import { authorize, type Permission } from './authorize.js';
import { errorInfo, statusFor } from './errors.js';
import { getWebServices, type WebServices } from './services.js';
import { currentUser } from './session.js';
import { describeIssues } from '../zod-issues.js';
import type { ApiError } from './types.js';

export function jsonError(status: number, code: string, message: string): Response {
  const body: ApiError = { error: { code, message } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export interface RouteCtx {
  user: SessionUser;
  services: WebServices;
  req: Request;
}

/** Wrap a handler: session → authorize → handler → JSON; typed errors become their status. */
export async function apiRoute(
  req: Request,
  permission: Permission,
  handler: (ctx: RouteCtx) => Promise<unknown>,
): Promise<Response> {
  const user = await currentUser();
  if (!user)
    return jsonError(401, 'UNAUTHENTICATED', 'sign in first (POST /api/auth/sign-in/email)');
  if (!authorize(user, permission))
    return jsonError(403, 'FORBIDDEN', `not allowed: ${permission}`);
  try {
    const body = await handler({ user, services: getWebServices(), req });
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    const info = errorInfo(e);
    if (info) return jsonError(statusFor(info.code), info.code, info.message);
    throw e;
  }
}

/** Parse a JSON body with a schema; a bad body is a USAGE error (400) naming the field. */
export async function parseBody<S extends z.ZodType>(
  req: Request,
  schema: S,
): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw Object.assign(new Error('request body is not JSON'), { code: 'USAGE' });
  }
  return parseInput(raw, schema);
}

export function parseInput<S extends z.ZodType>(raw: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw Object.assign(new Error(`invalid request: ${describeIssues(r.error.issues)}`), {
      code: 'USAGE',
    });
  }
  return r.data;
}
