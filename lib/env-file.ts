/**
 * `$FLEET_HOME/fleetd.env`: secrets for fleetd that are not in the roster (a chat connector's
 * token; docs/connectors.md). The systemd unit reads it with `EnvironmentFile=`, and `fleet serve`
 * reads the same file so a fleetd started from a shell sees the same values. The syntax is the
 * subset both agree on: `KEY=value` lines, `#` comments, optional matching quotes.
 */
import { readFileSync, statSync } from 'node:fs';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

export interface EnvFile {
  vars: Record<string, string>;
  /** why the file should be fixed (readable by others), or null */
  warning: string | null;
}

/** The file's variables ({} when there is none). */
export function readEnvFile(file: string): EnvFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { vars: {}, warning: null };
  }
  const mode = statSync(file).mode & 0o777;
  const warning =
    mode & 0o077
      ? `${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it, it holds secrets`
      : null;
  return { vars: parseEnvFile(text), warning };
}
