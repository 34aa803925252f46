'use client';
import type { AgentFormValues } from '@/lib/web/roster-form';
import type { RuntimeOption } from '@/lib/ops/roster-view';
import { inputClass } from '../ui';

/** The editable roster fields of one agent, bound to form values (validated by the roster schema). */
export function AgentFields({
  prefix,
  values,
  runtimes,
  errors,
  onChange,
}: {
  prefix: string;
  values: AgentFormValues;
  runtimes: RuntimeOption[];
  errors: Record<string, string>;
  onChange(v: AgentFormValues): void;
}) {
  const rt = runtimes.find((r) => r.id === values.runtime);
  const set = <K extends keyof AgentFormValues>(k: K, v: AgentFormValues[K]) =>
    onChange({ ...values, [k]: v });
  const err = (k: string) => errors[`fields.${k}`] ?? errors[k];
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-5">
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Harness</span>
        <select
          value={values.runtime}
          onChange={(e) => set('runtime', e.target.value)}
          className={inputClass}
          data-testid={`${prefix}-runtime`}
        >
          {!rt && <option value={values.runtime}>{values.runtime || 'choose…'}</option>}
          {runtimes.map((r) => (
            <option key={r.id} value={r.id} title={r.title}>
              {r.id}
            </option>
          ))}
        </select>
        <FieldError message={err('runtime')} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Model</span>
        <input
          value={values.model}
          onChange={(e) => set('model', e.target.value)}
          placeholder={rt && !rt.supportsModel ? 'not used by this harness' : 'runtime default'}
          className={inputClass}
          data-testid={`${prefix}-model`}
        />
        <FieldError message={err('model')} />
      </label>
      <label className="text-sm md:col-span-2">
        <span className="mb-1 block font-medium text-slate-700">
          Command (overrides the harness default)
        </span>
        <input
          value={values.command}
          onChange={(e) => set('command', e.target.value)}
          placeholder="default launch"
          className={`${inputClass} font-mono`}
          data-testid={`${prefix}-command`}
        />
        <FieldError message={err('command')} />
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Channels</span>
        <input
          value={values.channels}
          onChange={(e) => set('channels', e.target.value)}
          placeholder={rt && !rt.supportsChannels ? 'not used by this harness' : 'comma separated'}
          className={inputClass}
          data-testid={`${prefix}-channels`}
        />
        <FieldError message={err('channels')} />
      </label>
      <label className="flex items-center gap-2 text-sm md:col-span-5">
        <input
          type="checkbox"
          checked={values.yolo}
          onChange={(e) => set('yolo', e.target.checked)}
          data-testid={`${prefix}-yolo`}
        />
        <span>
          yolo — skip permission prompts
          {rt && !rt.supportsYolo ? ' (not supported by this harness)' : ''}
        </span>
      </label>
    </div>
  );
}

export function FieldError({ message }: { message?: string }) {
  if (!message) return null;
  return <span className="mt-1 block text-xs text-rose-600">{message}</span>;
}
