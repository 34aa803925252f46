/**
 * `fleet update`: drain, reseed framework/, refresh the installed systemd units, update the
 * harness CLIs, relaunch the agents on their conversations, resume (docs/operations.md
 * "Update"). Each step says what it did; a failed step stops the update there, with the fleet
 * left drained (or resumed, for a step that changed nothing) and a line on how to go on or roll
 * back. The steps' IO is given by the caller (cli/update.ts); this is their order and rules.
 */
export type UpdateStepName = 'drain' | 'reseed' | 'units' | 'harnesses' | 'relaunch' | 'resume';

export interface UpdateStep {
  name: UpdateStepName;
  /** what the step would do, for `--dry-run` */
  plan(): Promise<string[]>;
  /** do it; the lines say what was done. Throws UpdateStepFailed (or any error) to stop. */
  run(): Promise<string[]>;
}

/** A step that could not do its work, with what it did manage and how to go on. */
export class UpdateStepFailed extends Error {
  constructor(
    message: string,
    readonly opts: {
      /** lines of what the step did before it failed */
      lines?: string[];
      /** the step changed nothing: the fleet is resumed rather than left drained */
      changedNothing?: boolean;
      /** how to continue or roll back */
      recovery: string;
    },
  ) {
    super(message);
  }
}

export interface UpdateReport {
  ok: boolean;
  dry_run: boolean;
  steps: { name: UpdateStepName; ok: boolean; lines: string[] }[];
  /** the step that stopped the update, and what the fleet was left as */
  stopped: {
    step: UpdateStepName;
    error: string;
    fleet: 'drained' | 'resumed';
    recovery: string;
  } | null;
  elapsed_s: number;
}

export interface RunUpdateOptions {
  dryRun: boolean;
  /** one line of progress */
  say(line: string): void;
  /** lift the drain after a step that changed nothing failed; returns what it did */
  resume(): Promise<string>;
  now?(): number;
}

export async function runUpdate(
  steps: readonly UpdateStep[],
  o: RunUpdateOptions,
): Promise<UpdateReport> {
  const now = o.now ?? Date.now;
  const started = now();
  const report: UpdateReport = {
    ok: true,
    dry_run: o.dryRun,
    steps: [],
    stopped: null,
    elapsed_s: 0,
  };
  const n = steps.length;
  for (const [i, step] of steps.entries()) {
    const head = `update ${i + 1}/${n} ${step.name}:`;
    if (o.dryRun) {
      const lines = await step.plan();
      report.steps.push({ name: step.name, ok: true, lines });
      sayLines(o, head, lines);
      continue;
    }
    try {
      const lines = await step.run();
      report.steps.push({ name: step.name, ok: true, lines });
      sayLines(o, head, lines);
    } catch (e) {
      const failed = e instanceof UpdateStepFailed ? e : null;
      const error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      const lines = failed?.opts.lines ?? [];
      report.steps.push({ name: step.name, ok: false, lines: [...lines, `FAILED: ${error}`] });
      sayLines(o, head, [...lines, `FAILED: ${error}`]);
      let fleet: 'drained' | 'resumed' = 'drained';
      // the drain itself did not finish: the fleet is drained all the same (as fleet drain leaves it)
      if (failed?.opts.changedNothing && step.name !== 'drain') {
        try {
          o.say(`update: ${await o.resume()}`);
          fleet = 'resumed';
        } catch (r) {
          o.say(`update: could not resume: ${(r as Error).message}`);
        }
      }
      const recovery =
        failed?.opts.recovery ??
        `fix that, then run fleet update again to go on, or fleet resume to leave it`;
      report.ok = false;
      report.stopped = { step: step.name, error, fleet, recovery };
      o.say(
        `update stopped at ${step.name}; the fleet is ${fleet === 'drained' ? 'still drained' : 'resumed'}. ${recovery}`,
      );
      break;
    }
  }
  report.elapsed_s = (now() - started) / 1000;
  if (report.ok)
    o.say(`update ${o.dryRun ? 'plan listed' : 'done'} in ${report.elapsed_s.toFixed(1)} s`);
  return report;
}

function sayLines(o: RunUpdateOptions, head: string, lines: readonly string[]): void {
  if (lines.length === 1) return o.say(`${head} ${lines[0]}`);
  o.say(head);
  for (const l of lines) o.say(`  ${l}`);
}
