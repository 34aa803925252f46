/**
 * The web panel's authentication: better-auth with email + password and database sessions, on
 * fleetd's own store through the drizzle adapter (tables in lib/store/auth-schema.ts). Built by
 * the web component inside fleetd; Next's pages, actions and routes reach this one instance
 * through the web services (lib/web/services.ts), never by opening the store themselves.
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Db } from '../store/db.js';
import { authTables } from '../store/auth-schema.js';

export interface FleetAuthOptions {
  db: Db;
  secret: string;
  /** the panel's own origin, e.g. http://127.0.0.1:7420 */
  baseURL: string;
  /** further origins a browser may use for the same server (localhost vs 127.0.0.1, a proxy) */
  trustedOrigins: string[];
  /** set the `Secure` cookie flag (the panel is reached over https) */
  secureCookies: boolean;
}

export const AUTH_BASE_PATH = '/api/auth';
/**
 * The client's address as the panel's HTTP server read it off the socket (it replaces any copy
 * a client sent): the key of the sign-in limits (docs/security.md "Sign-in").
 */
export const CLIENT_ADDRESS_HEADER = 'x-mosaic-fleet-client';
export const MIN_PASSWORD_LENGTH = 8;

/**
 * Paths of better-auth's router that the panel serves. Everything else is refused before
 * better-auth sees it — public sign-up in particular: accounts are made by `fleet user create`
 * or the one-time setup link, both of which call the server-side API.
 */
export const SERVED_AUTH_PATHS = ['/sign-in/email', '/sign-out', '/get-session'] as const;

export function createFleetAuth(o: FleetAuthOptions) {
  return betterAuth({
    appName: 'Mosaic Fleet',
    baseURL: o.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: o.secret,
    database: drizzleAdapter(o.db, { provider: 'pg', schema: authTables }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: false,
    },
    disabledPaths: ['/sign-up/email'],
    trustedOrigins: o.trustedOrigins,
    // The library turns its limiter on only when NODE_ENV is 'production' at import time, which
    // fleetd does not promise: on, always, keyed on the socket address (docs/security.md).
    rateLimit: {
      enabled: true,
      storage: 'memory',
      window: 60,
      max: 300,
      customRules: { '/sign-in/email': { window: 60, max: 30 } },
    },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    // SameSite=Lax stays: other ports on this host are the same site, so Strict would not keep
    // them out (the Origin checks do), and Lax lets a deep link from a chat open signed in.
    advanced: {
      useSecureCookies: o.secureCookies,
      cookiePrefix: 'mosaic-fleet',
      defaultCookieAttributes: { sameSite: 'lax', httpOnly: true },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    telemetry: { enabled: false },
  });
}

export type FleetAuth = ReturnType<typeof createFleetAuth>;

/** What the panel knows about the signed-in operator. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}
