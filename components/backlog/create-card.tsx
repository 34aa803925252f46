'use client';
import { useState, type FormEvent } from 'react';
import { createCardAction } from '@/app/actions/backlog';
import { Button, ErrorNote, inputClass } from '../ui';

const listOf = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function CreateCard({ onCreated }: { onCreated(): void }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const id = String(f.get('id') ?? '').trim();
    const phase = String(f.get('phase') ?? '').trim();
    const cls = String(f.get('assignee_class') ?? '').trim();
    const deps = listOf(f.get('depends_on'));
    const priority = Number(f.get('priority') || 0);
    const r = await createCardAction({
      title: String(f.get('title') ?? ''),
      ...(id ? { id } : {}),
      ...(phase ? { phase } : {}),
      ...(cls ? { assignee_class: cls } : {}),
      ...(deps.length ? { depends_on: deps } : {}),
      priority: Number.isInteger(priority) ? priority : 0,
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    form.reset();
    onCreated();
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-2" data-testid="create-card">
      <input
        name="title"
        required
        placeholder="new card title"
        className={`${inputClass} max-w-xs`}
        data-testid="create-card-title"
      />
      <input
        name="id"
        placeholder="id (optional)"
        className={`${inputClass} max-w-[9rem]`}
        data-testid="create-card-id"
      />
      <input
        name="priority"
        type="number"
        placeholder="priority"
        className={`${inputClass} max-w-[6rem]`}
      />
      <input name="phase" placeholder="phase" className={`${inputClass} max-w-[8rem]`} />
      <input name="assignee_class" placeholder="class" className={`${inputClass} max-w-[8rem]`} />
      <input
        name="depends_on"
        placeholder="depends on (ids)"
        className={`${inputClass} max-w-[12rem]`}
        data-testid="create-card-deps"
      />
      <Button type="submit" tone="primary" data-testid="create-card-submit">
        Create
      </Button>
      <ErrorNote message={error} testId="create-card-error" />
    </form>
  );
}
