'use client';
import { useState, type FormEvent } from 'react';
import { safeNext } from '../lib/web/safe-next';
import { Button, ErrorNote, inputClass } from './ui';

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await fetch('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    }).catch(() => null);
    if (res?.ok) {
      window.location.assign(safeNext(next));
      return;
    }
    setBusy(false);
    const body = (await res?.json().catch(() => null)) as { message?: string } | null;
    setError(body?.message ?? 'sign-in failed');
  }
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="login-form">
      <label className="block text-sm">
        <span className="mb-1 block font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className={inputClass}
          data-testid="login-email"
        />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium text-slate-700">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
          data-testid="login-password"
        />
      </label>
      <ErrorNote message={error} testId="login-error" />
      <Button
        type="submit"
        tone="primary"
        disabled={busy}
        className="w-full justify-center"
        data-testid="login-submit"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
