import { CLAUDE_HOOK_EVENTS } from '../heartbeat/hooks.js';

/**
 * Wiring for runtimes that report their own state. Claude Code runs hook commands through a
 * shell, so the command is built from our own paths only, each single-quoted; nothing from a
 * roster or a user reaches it (the agent's identity comes from its env).
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function claudeSettings(fleetArgv: readonly string[]): string {
  const hooks: Record<string, unknown> = {};
  for (const event of CLAUDE_HOOK_EVENTS) {
    const command = [...fleetArgv, 'hook', 'claude', event].map(shellQuote).join(' ');
    hooks[event] = [{ hooks: [{ type: 'command', command, timeout: 10 }] }];
  }
  return JSON.stringify({ hooks }, null, 2) + '\n';
}

/** codex `-c notify=[...]`: a TOML array of the program argv; codex appends the JSON payload. */
export function codexNotifyArgs(fleetArgv: readonly string[]): string[] {
  return ['-c', `notify=${JSON.stringify([...fleetArgv, 'hook', 'codex'])}`];
}
