'use client';
import { useState, type FormEvent } from 'react';
import { createFirstUserAction } from '../app/actions/setup';
import { Button, ErrorNote, inputClass } from './ui';

export function SetupForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await createFirstUserAction({
      token,
      email: f.get('email'),
      password: f.get('password'),
    });
    if (r.ok) setDone(r.data.email);
    else setError(r.error.message);
  }
  if (done) {
    return (
      <p className="text-sm" data-testid="setup-done">
        Account {done} created.{' '}
        <a className="text-indigo-600 underline" href="/login">
          Sign in
        </a>
        .
      </p>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <input
        name="email"
        type="email"
        placeholder="you@example.com"
        required
        className={inputClass}
      />
      <input
        name="password"
        type="password"
        placeholder="password (8+ characters)"
        minLength={8}
        required
        className={inputClass}
      />
      <ErrorNote message={error} />
      <Button type="submit" tone="primary" className="w-full justify-center">
        Create operator account
      </Button>
    </form>
  );
}
