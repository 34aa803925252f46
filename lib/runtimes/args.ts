/** Small pieces several adapters share; each adapter still owns its whole argv. */

export const modelFlag = (model: string | undefined): string[] => (model ? ['--model', model] : []);

export const channelFlags = (channels: readonly string[]): string[] =>
  channels.flatMap((c) => ['--channels', c]);

/**
 * One word for a POSIX shell, single-quoted. For the few places a tool insists on a shell
 * command line (Claude Code hook commands, the run/bin/fleet shim): every word is ours and
 * quoted, so nothing in it is evaluated.
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
