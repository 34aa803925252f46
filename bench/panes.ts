import type { Panel } from '../e2e/support/panel.js';

/** A pane of the panel's tmux running `argv`, at a fixed size the benches' browsers watch. */
export async function newPane(panel: Panel, name: string, argv: string[]): Promise<void> {
  const r = await panel.tmux([
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '120',
    '-y',
    '40',
    '--',
    ...argv,
  ]);
  if (r.code !== 0) throw new Error(`new-session ${name}: ${r.stderr}`);
  await panel.tmux(['set-option', '-w', '-t', `=${name}:`, 'window-size', 'manual']);
}
