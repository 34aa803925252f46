import { describe, expect, it } from 'vitest';
import { agentSchema } from '../roster/schema.js';
import { agentFieldsForm, changedFields, commandText, formValues } from './roster-form.js';

const agent = agentSchema.parse({
  name: 'worker0',
  class: 'worker',
  harness: 'stub',
  command: ['node', 'agent.mjs', '--flag=a b'],
  channels: ['ops'],
});

describe('roster form', () => {
  it('starts from the agent with aliases folded', () => {
    expect(formValues(agent)).toEqual({
      runtime: 'stub',
      model: '',
      yolo: false,
      command: "node agent.mjs '--flag=a b'",
      channels: 'ops',
    });
  });

  it('validates with the roster schema and converts form text', () => {
    const r = agentFieldsForm.parse({
      runtime: ' claude ',
      model: '',
      yolo: true,
      command: '',
      channels: 'a, b c',
    });
    expect(r).toEqual({
      runtime: 'claude',
      model: undefined,
      yolo: true,
      command: undefined,
      channels: ['a', 'b', 'c'],
    });
    const bad = agentFieldsForm.safeParse({
      runtime: '',
      model: '',
      yolo: false,
      command: '',
      channels: '',
    });
    expect(bad.success).toBe(false);
  });

  it('changes only what was edited, keeping an argv list as written', () => {
    const same = agentFieldsForm.parse({ ...formValues(agent) });
    expect(changedFields(agent, same)).toEqual({});
    const edited = agentFieldsForm.parse({ ...formValues(agent), model: 'big', channels: '' });
    expect(changedFields(agent, edited)).toEqual({ model: 'big', channels: undefined });
  });

  it('turns yolo off by deleting it when the roster never set it', () => {
    const on = agentSchema.parse({ name: 'a', class: 'worker', runtime: 'stub', yolo: true });
    expect(changedFields(on, agentFieldsForm.parse({ ...formValues(on), yolo: false }))).toEqual({
      yolo: false,
    });
    const unset = agentSchema.parse({ name: 'a', class: 'worker', runtime: 'stub' });
    expect(
      changedFields(unset, agentFieldsForm.parse({ ...formValues(unset), yolo: true })),
    ).toEqual({ yolo: true });
  });

  it('quotes command words so they split back the same', () => {
    expect(commandText(['a', "it's", ''])).toBe(`a 'it'"'"'s' ''`);
    expect(commandText('run --x')).toBe('run --x');
  });
});
