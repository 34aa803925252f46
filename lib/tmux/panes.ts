/**
 * One `list-panes -a -F` call describes every pane on the socket (docs/pitfalls.md "Cost": ~3 ms for 100).
 * `#{window_activity}` is used because `#{pane_activity}` is empty on tmux 3.3a.
 * The current command goes last: it is the only field that may hold odd characters.
 */
const PANE_FIELDS = [
  'session_name',
  'window_index',
  'pane_index',
  'pane_pid',
  'pane_dead',
  'pane_dead_status',
  'window_activity',
  'session_created',
  'session_attached',
  'pane_in_mode',
  '@mosaic_epoch',
  '@mosaic_runtime',
  'pane_current_command',
] as const;

const SEP = '\t';
export const PANE_FORMAT = PANE_FIELDS.map((f) => `#{${f}}`).join(SEP);

export interface PaneInfo {
  session: string;
  windowIndex: number;
  paneIndex: number;
  pid: number | null;
  dead: boolean;
  deadStatus: number | null;
  /** unix seconds of the last output in the window */
  activity: number | null;
  created: number | null;
  /** clients attached to the session (watchers included) */
  attached: number;
  inMode: boolean;
  epoch: number | null;
  runtime: string | null;
  currentCommand: string;
}

const int = (s: string | undefined): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? Math.trunc(n) : null;
};

export function parsePanes(stdout: string): PaneInfo[] {
  const out: PaneInfo[] = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const f = line.split(SEP);
    if (f.length < PANE_FIELDS.length) continue;
    out.push({
      session: f[0]!,
      windowIndex: int(f[1]) ?? 0,
      paneIndex: int(f[2]) ?? 0,
      pid: int(f[3]),
      dead: f[4] === '1',
      deadStatus: int(f[5]),
      activity: int(f[6]),
      created: int(f[7]),
      attached: int(f[8]) ?? 0,
      inMode: f[9] === '1',
      epoch: int(f[10]),
      runtime: f[11] || null,
      currentCommand: f.slice(12).join(SEP),
    });
  }
  return out;
}

/** The first pane of each session (agents have one window with one pane). */
export function firstPaneBySession(panes: readonly PaneInfo[]): Map<string, PaneInfo> {
  const m = new Map<string, PaneInfo>();
  for (const p of panes) {
    const cur = m.get(p.session);
    if (
      !cur ||
      p.windowIndex < cur.windowIndex ||
      (p.windowIndex === cur.windowIndex && p.paneIndex < cur.paneIndex)
    ) {
      m.set(p.session, p);
    }
  }
  return m;
}

/** What `display-message` + `capture-pane` tell about one pane, for send and reset. */
export const VIEW_FORMAT = [
  '#{cursor_x}',
  '#{cursor_y}',
  '#{pane_in_mode}',
  '#{pane_dead}',
  '#{pane_width}',
  '#{pane_height}',
  '#{pane_pid}',
  '#{@mosaic_epoch}',
].join(SEP);

export interface PaneView {
  cursorX: number;
  cursorY: number;
  inMode: boolean;
  dead: boolean;
  width: number;
  height: number;
  pid: number | null;
  epoch: number | null;
  /** visible screen, one string per row, wrapped rows joined */
  lines: string[];
}

export function parseView(stdout: string): PaneView {
  const nl = stdout.indexOf('\n');
  const head = (nl < 0 ? stdout : stdout.slice(0, nl)).split(SEP);
  const body = nl < 0 ? '' : stdout.slice(nl + 1);
  const lines = body.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return {
    cursorX: int(head[0]) ?? 0,
    cursorY: int(head[1]) ?? 0,
    inMode: head[2] === '1',
    dead: head[3] === '1',
    width: int(head[4]) ?? 0,
    height: int(head[5]) ?? 0,
    pid: int(head[6]),
    epoch: int(head[7]),
    lines,
  };
}

/**
 * Several panes' views from one tmux call: each pane's `display-message` line starts with
 * `<marker>\t<name>\t` and its capture follows it. The marker is random per call, so no pane's
 * text can pass for a header.
 */
export function parseViews(stdout: string, marker: string): Map<string, PaneView> {
  const out = new Map<string, PaneView>();
  const head = `${marker}${SEP}`;
  let name: string | null = null;
  let chunk: string[] = [];
  const flush = () => {
    if (name !== null) out.set(name, parseView(chunk.join('\n') + '\n'));
  };
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith(head)) {
      flush();
      const rest = line.slice(head.length);
      const tab = rest.indexOf(SEP);
      name = tab < 0 ? rest : rest.slice(0, tab);
      chunk = [tab < 0 ? '' : rest.slice(tab + 1)];
    } else if (name !== null) chunk.push(line);
  }
  flush();
  return out;
}
