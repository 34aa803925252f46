/** Operator accounts: creation (CLI through fleetd, or the one-time setup link) and counting. */
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { FleetError } from '../errors.js';
import { authUser } from '../store/auth-schema.js';
import type { Db } from '../store/db.js';
import { MIN_PASSWORD_LENGTH, type FleetAuth } from './auth.js';

export const createUserInput = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(256),
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(authUser);
  return Number(row?.n ?? 0);
}

/**
 * Create an operator account through better-auth's server API (its password hashing and
 * account rows). The duplicate check is ours: with autoSignIn off, better-auth answers a
 * duplicate sign-up with a generic success so that sign-up cannot enumerate emails.
 */
export async function createUser(
  db: Db,
  auth: FleetAuth,
  input: CreateUserInput,
): Promise<CreatedUser> {
  const email = input.email.toLowerCase();
  const [existing] = await db
    .select({ id: authUser.id })
    .from(authUser)
    .where(eq(authUser.email, email));
  if (existing) throw new FleetError('CONFLICT', `a user with email ${email} already exists`);
  const name = input.name ?? email.split('@')[0]!;
  try {
    const r = await auth.api.signUpEmail({ body: { email, password: input.password, name } });
    return { id: r.user.id, email: r.user.email, name: r.user.name };
  } catch (e) {
    throw new FleetError(
      'USAGE',
      `cannot create user ${email}: ${(e as Error)?.message ?? String(e)}`,
      {
        cause: e,
      },
    );
  }
}
