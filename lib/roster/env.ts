import type { ResolvedAgent } from './resolve.js';

/**
 * agents/<name>.env: the per-agent launch env generated from the roster. Format is
 * systemd EnvironmentFile-compatible (KEY="value" with backslash escapes); it is read by
 * fleet's own parser, never sourced by a shell.
 */
export function agentEnvVars(a: ResolvedAgent): Record<string, string> {
  const vars: Record<string, string> = {
    MOSAIC_AGENT_NAME: a.name,
    MOSAIC_AGENT_CLASS: a.class,
    MOSAIC_AGENT_RUNTIME: a.runtime,
    MOSAIC_AGENT_YOLO: a.yolo ? '1' : '0',
    MOSAIC_AGENT_TENANT: a.tenantId,
    MOSAIC_AGENT_HOST: a.host,
  };
  if (a.role) vars.MOSAIC_AGENT_ROLE = a.role;
  if (a.model) vars.MOSAIC_AGENT_MODEL = a.model;
  if (a.command) vars.MOSAIC_AGENT_COMMAND = JSON.stringify(a.command);
  if (a.channels.length) vars.MOSAIC_AGENT_CHANNELS = a.channels.join(',');
  return { ...a.env, ...vars };
}

function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\$/g, '\\$')}"`;
}

export function renderEnvFile(vars: Record<string, string>): string {
  const lines = ['# generated from roster.yaml by fleet; edits are overwritten'];
  for (const k of Object.keys(vars).sort()) lines.push(`${k}=${quote(vars[k]!)}`);
  return lines.join('\n') + '\n';
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let v = line.slice(eq + 1);
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
      v = v.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out[key] = v;
  }
  return out;
}
