/**
 * Typed domain errors. Domain code throws these (keeping `cause`); each edge maps them once:
 * the CLI to an exit code and one line, the HTTP API to a status, the web panel to a result.
 */
export type ErrorCode =
  | 'ROSTER_INVALID'
  | 'ROSTER_CONFLICT'
  | 'ROSTER_MISSING'
  | 'ROSTER_EXISTS'
  | 'FLOOR_VIOLATION'
  | 'AGENT_NOT_FOUND'
  | 'AGENT_EXISTS'
  | 'LIBRARY_INVALID'
  | 'NORTHSTAR_INVALID'
  | 'NOT_FOUND'
  | 'USAGE'
  | 'COMMAND_FAILED'
  | 'STORE_LOCKED'
  | 'STORE_UNAVAILABLE'
  | 'FLEETD_DOWN'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'BUSY'
  | 'TIMEOUT';

export class FleetError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Where a problem sits in a YAML file, with the field path inside the document. */
export interface SourceIssue {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

function formatIssue(i: SourceIssue): string {
  const where = i.path ? ` ${i.path}:` : '';
  return `${i.file}:${i.line}:${i.column}:${where} ${i.message}`;
}

export class RosterInvalid extends FleetError {
  readonly issues: SourceIssue[];
  constructor(issues: SourceIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
    super('ROSTER_INVALID', first ? `${formatIssue(first)}${more}` : 'roster is invalid');
    this.issues = issues;
  }
  get file(): string | undefined {
    return this.issues[0]?.file;
  }
  get line(): number | undefined {
    return this.issues[0]?.line;
  }
  get column(): number | undefined {
    return this.issues[0]?.column;
  }
  get path(): string | undefined {
    return this.issues[0]?.path;
  }
}

export class LibraryInvalid extends FleetError {
  readonly issues: SourceIssue[];
  constructor(issues: SourceIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
    super('LIBRARY_INVALID', first ? `${formatIssue(first)}${more}` : 'library is invalid');
    this.issues = issues;
  }
}

export class NorthStarInvalid extends FleetError {
  readonly issues: SourceIssue[];
  constructor(issues: SourceIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
    super(
      'NORTHSTAR_INVALID',
      first ? `${formatIssue(first)}${more}` : 'NORTH_STAR.yaml is invalid',
    );
    this.issues = issues;
  }
}

export class AgentNotFound extends FleetError {
  readonly agent: string;
  constructor(agent: string, known: readonly string[] = []) {
    const hint = known.length ? ` (known: ${known.join(', ')})` : '';
    super('AGENT_NOT_FOUND', `unknown agent "${agent}"${hint}`);
    this.agent = agent;
  }
}

export class FloorViolation extends FleetError {
  constructor(message: string) {
    super('FLOOR_VIOLATION', message);
  }
}

export class RosterConflict extends FleetError {
  readonly file: string;
  constructor(file: string) {
    super(
      'ROSTER_CONFLICT',
      `${file} changed since it was read; nothing was written (re-read it and apply your edit again)`,
    );
    this.file = file;
  }
}

export class StoreLocked extends FleetError {
  readonly pid: number;
  constructor(pid: number, lockFile: string) {
    super('STORE_LOCKED', `store is locked by another fleetd (pid ${pid}, lock ${lockFile})`);
    this.pid = pid;
  }
}

export class CommandError extends FleetError {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(
    argv: readonly string[],
    exitCode: number | null,
    stdout: string,
    stderr: string,
    options?: { cause?: unknown; timedOut?: boolean },
  ) {
    const what = options?.timedOut ? 'timed out' : `exited ${exitCode ?? 'by signal'}`;
    const detail = stderr.trim().split('\n')[0] ?? '';
    super('COMMAND_FAILED', `${argv.join(' ')} ${what}${detail ? `: ${detail}` : ''}`, options);
    this.argv = argv;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

export function usage(message: string): FleetError {
  return new FleetError('USAGE', message);
}
