'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { restartAgentAction } from '@/app/actions/fleet';
import { addAgentAction, removeAgentAction, saveAgentAction } from '@/app/actions/roster';
import type { RosterEdit } from '@/lib/ops/roster';
import type { ActionResult } from '@/lib/web/action';
import type { RosterAgentView, RosterView } from '@/lib/ops/roster-view';
import { agentFieldsForm, type AgentFormValues } from '@/lib/web/roster-form';
import { ConfirmDialog } from '../confirm-dialog';
import { Button, ErrorNote, Panel, inputClass } from '../ui';
import { AgentFields, FieldError } from './agent-fields';

type Status =
  { kind: 'saved'; name: string; restart: boolean } | { kind: 'conflict'; message: string } | null;

/** Field errors from the roster schema, keyed like the server's (fields.model …). */
function validate(values: AgentFormValues): Record<string, string> {
  const r = agentFieldsForm.safeParse(values);
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [`fields.${i.path.join('.')}`, i.message]));
}

export function RosterEditor({ view }: { view: RosterView }) {
  const router = useRouter();
  const [hash, setHash] = useState(view.hash);
  const [status, setStatus] = useState<Status>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** The shared outcome of every apply: new hash, a conflict shown (never overwritten), or an error. */
  function settle(
    r: ActionResult<RosterEdit>,
    name: string,
    offerRestart: boolean,
  ): Record<string, string> {
    if (r.ok) {
      setHash(r.data.hash);
      setStatus({ kind: 'saved', name, restart: offerRestart && r.data.changed.length > 0 });
      setError(null);
      router.refresh();
      return {};
    }
    if (r.error.code === 'ROSTER_CONFLICT') {
      setStatus({ kind: 'conflict', message: r.error.message });
      return {};
    }
    setError(r.error.message);
    return r.error.fields ?? {};
  }

  async function remove(name: string) {
    settle(await removeAgentAction({ hash, name }), name, false);
    setRemoving(null);
  }

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold">Roster</h1>
        <p className="text-xs text-slate-500">
          {view.file} — edits keep comments and formatting; a change made elsewhere since you loaded
          is reported, not overwritten.
        </p>
      </div>
      {status?.kind === 'conflict' && (
        <div
          role="alert"
          data-testid="roster-conflict"
          className="flex items-center gap-3 rounded-md bg-rose-50 px-4 py-3 text-sm text-rose-800 ring-1 ring-rose-200"
        >
          <span>
            <strong>Not saved:</strong> roster.yaml changed since this page loaded. Reload to see
            the current roster, then apply your edit again.
          </span>
          <Button
            className="ml-auto"
            onClick={() => window.location.reload()}
            data-testid="roster-reload"
          >
            Reload
          </Button>
        </div>
      )}
      {status?.kind === 'saved' && (
        <SavedNotice name={status.name} restart={status.restart} onDone={() => setStatus(null)} />
      )}
      <ErrorNote message={error} testId="roster-error" />
      {view.agents.map((a) => (
        <AgentForm
          key={`${a.name}:${view.hash}`}
          agent={a}
          runtimes={view.runtimes}
          onSave={async (values) => {
            const errors = validate(values);
            if (Object.keys(errors).length) return errors;
            return settle(
              await saveAgentAction({ hash, name: a.name, fields: values }),
              a.name,
              true,
            );
          }}
          onRemove={() => setRemoving(a.name)}
        />
      ))}
      <AddAgentForm
        runtimes={view.runtimes}
        onAdd={async (base, values) => {
          const errors = validate(values);
          if (Object.keys(errors).length) return errors;
          return settle(await addAgentAction({ hash, ...base, fields: values }), base.name, false);
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        tone="danger"
        title={`Remove ${removing} from the roster?`}
        confirmLabel="Remove"
        onConfirm={() => void remove(removing!)}
        onCancel={() => setRemoving(null)}
      >
        The agent leaves roster.yaml. A running session is not killed (terminate it from its page).
        The fleet floor — one orchestrator and one enhancer — is kept.
      </ConfirmDialog>
    </div>
  );
}

function SavedNotice({
  name,
  restart,
  onDone,
}: {
  name: string;
  restart: boolean;
  onDone(): void;
}) {
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div
      data-testid="roster-saved"
      className="flex items-center gap-3 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200"
    >
      <span>
        Saved {name}; its env file was regenerated.
        {restart ? ' Restart it to apply the change.' : ''} {msg}
      </span>
      {restart && (
        <Button
          className="ml-auto"
          tone="primary"
          data-testid="roster-restart"
          onClick={async () => {
            const r = await restartAgentAction({ name });
            setMsg(r.ok ? `Restarted (epoch ${r.data.epoch}).` : r.error.message);
          }}
        >
          Restart {name}
        </Button>
      )}
      <Button onClick={onDone}>Dismiss</Button>
    </div>
  );
}

function AgentForm({
  agent,
  runtimes,
  onSave,
  onRemove,
}: {
  agent: RosterAgentView;
  runtimes: RosterView['runtimes'];
  onSave(v: AgentFormValues): Promise<Record<string, string>>;
  onRemove(): void;
}) {
  const [values, setValues] = useState(agent.values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(values) !== JSON.stringify(agent.values);
  return (
    <form
      data-testid={`roster-agent-${agent.name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setErrors(await onSave(values));
        setBusy(false);
      }}
    >
      <Panel
        title={
          <span>
            {agent.name}{' '}
            <span className="font-normal text-slate-500">
              · {agent.class}
              {agent.role ? ` · ${agent.role}` : ''}
              {agent.enabled ? '' : ' · disabled'}
            </span>
          </span>
        }
        actions={
          <>
            <Button tone="danger" onClick={onRemove} data-testid={`roster-${agent.name}-remove`}>
              Remove
            </Button>
            <Button
              type="submit"
              tone="primary"
              disabled={!dirty || busy}
              data-testid={`roster-${agent.name}-save`}
            >
              Apply
            </Button>
          </>
        }
      >
        <AgentFields
          prefix={`roster-${agent.name}`}
          values={values}
          runtimes={runtimes}
          errors={errors}
          onChange={setValues}
        />
      </Panel>
    </form>
  );
}

function AddAgentForm({
  runtimes,
  onAdd,
}: {
  runtimes: RosterView['runtimes'];
  onAdd(
    base: { name: string; class: string; role: string },
    v: AgentFormValues,
  ): Promise<Record<string, string>>;
}) {
  const empty: AgentFormValues = {
    runtime: runtimes[0]?.id ?? '',
    model: '',
    yolo: false,
    command: '',
    channels: '',
  };
  const [base, setBase] = useState({ name: '', class: 'worker', role: '' });
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  return (
    <form
      data-testid="roster-add"
      onSubmit={async (e) => {
        e.preventDefault();
        const errs = await onAdd(base, values);
        setErrors(errs);
        if (!Object.keys(errs).length) {
          setBase({ name: '', class: 'worker', role: '' });
          setValues(empty);
        }
      }}
    >
      <Panel
        title="Add an agent"
        actions={
          <Button type="submit" tone="primary" data-testid="roster-add-submit">
            Add
          </Button>
        }
      >
        <div className="mb-3 grid grid-cols-1 gap-3 md:grid-cols-3">
          {(['name', 'class', 'role'] as const).map((k) => (
            <label key={k} className="text-sm">
              <span className="mb-1 block font-medium capitalize text-slate-700">{k}</span>
              <input
                value={base[k]}
                onChange={(e) => setBase({ ...base, [k]: e.target.value })}
                required={k !== 'role'}
                className={inputClass}
                data-testid={`roster-add-${k}`}
              />
              <FieldError message={errors[k]} />
            </label>
          ))}
        </div>
        <AgentFields
          prefix="roster-add"
          values={values}
          runtimes={runtimes}
          errors={errors}
          onChange={setValues}
        />
      </Panel>
    </form>
  );
}
