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
}

export interface RuntimeAdapter {
  id: string;
  title: string;
  /** executable looked up on PATH (or in bin_dir) */
  bin: string;
  /** npm package that provides the executable, when there is one */
  npmPackage?: string;
  /** command sent to clear the conversation between tasks */
  resetCommand: string;
  supportsModel: boolean;
  supportsYolo: boolean;
  supportsChannels: boolean;
  /** how the runtime reports busy/idle itself; `heartbeat` means the sidecar does it, `self`
   * that the runtime writes heartbeat v1 on its own (the stub) */
  nativeState: 'hooks' | 'notify' | 'heartbeat' | 'self';
  /** names `#{pane_current_command}` may show while this runtime runs (drift detection) */
  processNames: readonly string[];
  /** argv after the executable */
  args(opts: LaunchOptions): string[];
  screen: ScreenPatterns;
}
