import type { HeartbeatStatus } from '../heartbeat/protocol.js';

/**
 * Everything the fleet knows about one runtime lives in its adapter, one file per runtime
 * under lib/runtimes/ (docs/runtimes.md "Adding a runtime"). Adapters are data and pure
 * functions: the launcher (lib/launch/) does the IO — finding programs, writing files,
 * starting tmux — and asks the adapter what to do.
 */

/** What a runtime adapter needs to know about one agent to build its launch argv. */
export interface LaunchOptions {
  model?: string;
  yolo: boolean;
  channels: readonly string[];
}

/** How a runtime's screen reads; patterns are tested against the last lines of the pane. */
export interface ScreenPatterns {
  /** the runtime is showing its input prompt and waiting for work */
  idle: readonly RegExp[];
  /** the runtime is working on something */
  busy: readonly RegExp[];
  /** the runtime asks a human for something (permission, login, a choice) */
  waiting: readonly RegExp[];
  /** the input line; group 1 is what is typed in it (draft detection, send --verify) */
  input?: RegExp;
  /** how many trailing screen lines the patterns look at (default 15) */
  tail?: number;
  /**
   * What needs a human, more precisely than `waiting` (lib/attention/screen.ts reads these, in
   * the order auth, rate limit, permission; docs/runtimes.md "Attention"). Like the other
   * patterns, each is tested against the last `tail` lines joined with `\n`: without the `m`
   * flag, `^` and `$` are the start and end of that window, so `…$` means "on the last line".
   */
  attention?: {
    /** a permission / approval prompt for a tool or command */
    permission?: readonly RegExp[];
    /** usage limit or quota reached (the reset time, if shown, is parsed by lib/attention/reset-time.ts) */
    rateLimit?: readonly RegExp[];
    /** not logged in, invalid API key, expired token */
    auth?: readonly RegExp[];
    /** how many trailing screen lines these patterns look at (default 15, whatever `tail` is) */
    tail?: number;
  };
}

/** A file the launcher writes before it starts the runtime. */
export interface LaunchFile {
  path: string;
  content: string;
  /** default 0600 */
  mode?: number;
}

/** What the launcher hands an adapter to wire its native state reports. */
export interface WiringContext {
  /**
   * The argv that reaches this runtime's `fleet hook <id>` (the fleet CLI the fleet was
   * started with, then `hook <id>`); the runtime appends its own arguments.
   */
  hookArgv: readonly string[];
  /** the agent's name */
  name: string;
  /** the path of this agent's file with that suffix under run/ (lib/home.ts names every run/ file) */
  runFile(suffix: string): string;
}

/** How a runtime is told to call the fleet back: extra argv, env and files for its launch. */
export interface NativeWiring {
  /** argv right after the program, before everything else (a subcommand such as `resume <id>`) */
  argsFirst?: readonly string[];
  /** argv before the runtime's own flags */
  argsBefore?: readonly string[];
  /** argv after the runtime's own flags */
  argsAfter?: readonly string[];
  /** variables for the runtime's env; the fleet's own identity variables win over them */
  env?: Readonly<Record<string, string>>;
  files?: readonly LaunchFile[];
}

/** The agent's composed contract, as the launcher hands it to an adapter (docs/runtimes.md). */
export interface ContractHandOver {
  /** run/<name>.contract.md, written (0600) before the runtime starts */
  file: string;
  /** the same Markdown, for a runtime that takes the text itself */
  text: string;
}

/** What one `fleet hook <id> …` call reports; `status: null` means "not a state change". */
export interface HookReport {
  status: HeartbeatStatus | null;
  /** recorded as `event=` in run/<name>.status */
  event: string;
  /**
   * what the runtime said about this state, recorded as `note=` (e.g. Claude Code's
   * `permission_prompt: Claude needs your permission to use Bash`); the attention inbox shows
   * it (lib/attention/hook-need.ts). Control characters escaped, at most 300 chars
   * (lib/heartbeat/protocol.ts cleanNote, applied again when recorded).
   */
  note?: string;
  /** the conversation's id, when the runtime said it (Claude Code's `session_id`, codex's `thread-id`) */
  sessionId?: string;
}

/** The `fleet hook <id>` subcommand a runtime calls, and how to read what it passes. */
export interface HookReceiver {
  /** the subcommand's one argument, in commander syntax (`<event>`, `[payload]`) */
  argument: string;
  /** help for that argument */
  help: string;
  /** the runtime writes its payload on the hook's stdin (otherwise stdin is never read) */
  payloadOnStdin: boolean;
  /** must never throw: a hook must not break the runtime that calls it */
  read(arg: string | undefined, stdin: string): HookReport;
}

/** A runtime that reports its own state: how to wire it at launch and how to read its calls. */
export interface NativeReporting {
  wire(ctx: WiringContext): NativeWiring;
  hook: HookReceiver;
}

export interface RuntimeAdapter {
  id: string;
  title: string;
  /** executable looked up on PATH (or in bin_dir); a pane whose argv names it runs this runtime */
  bin: string;
  /** npm package that provides the executable, when there is one */
  npmPackage?: string;
  /**
   * A script shipped in framework/ (path relative to it), run with the fleet's own node
   * instead of looking `bin` up; a pane whose argv names it runs this runtime.
   */
  frameworkScript?: string;
  /** command sent to clear the conversation between tasks */
  resetCommand: string;
  supportsModel: boolean;
  supportsYolo: boolean;
  supportsChannels: boolean;
  /**
   * How the runtime reports busy/idle (lib/readiness.ts): `hooks` report every transition, so
   * their report is trusted as is; `notify` reports only some, used when newer than the
   * heartbeat; `heartbeat`: fleetd's reading of the screen is all there is; `self`: the
   * runtime writes heartbeat v1 on its own, so fleetd does not (for every other kind fleetd
   * writes it from the screen: lib/heartbeat/screen-beat.ts).
   * `hooks` and `notify` come through `native`.
   */
  nativeState: 'hooks' | 'notify' | 'heartbeat' | 'self';
  /** names `#{pane_current_command}` may show while this runtime runs */
  processNames: readonly string[];
  /** argv after the executable, from the roster's launch fields */
  args(opts: LaunchOptions): string[];
  /** environment defaults for this runtime's agents; the roster's `env` overrides each */
  env?: Readonly<Record<string, string>>;
  /**
   * How the runtime is given its contract at launch (argv, env or files pointing at the contract
   * file) so that it sits at the system-prompt level and survives `resetCommand`. Without one,
   * the contract is typed as the first verified message once the agent is idle, and again after
   * each reset (docs/runtimes.md "Contract delivery").
   */
  contract?(c: ContractHandOver): NativeWiring;
  /**
   * How a runtime that confines its file tools to the working directory is allowed into more
   * directories: the card worktrees under FLEET_HOME/worktrees, where a repository card is
   * worked (docs/review.md "Into the worktree"). Absent: the runtime does not confine them.
   */
  extraDirs?(dirs: readonly string[]): NativeWiring;
  /** native state reports, when the runtime can call the fleet itself */
  native?: NativeReporting;
  screen: ScreenPatterns;
  /** keys pressed to answer a permission prompt (tmux key names, sent one by one, never text) */
  approveKeys?: readonly string[];
  denyKeys?: readonly string[];
  /** what is typed (verified send) to make a rate-limited agent go on; default 'continue' */
  resumeText?: string;
  /**
   * How the runtime continues a recorded conversation after a restart (docs/runtimes.md
   * "Resume"). Absent: every start is a fresh conversation.
   */
  resume?: ResumeSupport;
}

/**
 * A runtime's own way back into a conversation. The fleet records the conversation's id
 * (run/<name>.session.json) and, at the next start of an agent that resumes, asks `resume` for
 * the wiring that reopens it, if `exists` finds the runtime's own record of it.
 */
export interface ResumeSupport {
  /**
   * Where the id comes from: `assigned` — the launcher picks a UUID and starts the runtime on it
   * with `start`; `reported` — the runtime reports it through its hook (HookReport.sessionId);
   * `latest` — it has no usable id, and resuming reopens its latest conversation in the
   * working directory (the recorded id is then null).
   */
  id: 'assigned' | 'reported' | 'latest';
  /** wiring for a fresh start on the chosen id (`assigned` only) */
  start?(id: string): NativeWiring;
  /** wiring that reopens the recorded conversation (`id` null for `latest`) */
  resume(id: string | null): NativeWiring;
  /**
   * Where the runtime's own record of the conversation is (its session file), for the launcher
   * to look for before it resumes (adapters do no IO); absent means "assume it is there".
   */
  sessionFile?(id: string | null, where: SessionPlace): SessionFileQuery | null;
}

/**
 * A session file to look for: a file named `name` (or matching it) in `dir`, or anywhere below
 * it with `recursive` (codex files its sessions by date).
 */
export interface SessionFileQuery {
  dir: string;
  name: string | RegExp;
  recursive?: boolean;
}

/** Where a runtime keeps its sessions for one agent. */
export interface SessionPlace {
  /** the HOME the runtime runs with */
  home: string;
  /** the agent's working directory */
  cwd: string;
  /** the agent's launch environment (a runtime may move its state dir with a variable) */
  env: Readonly<Record<string, string>>;
}
