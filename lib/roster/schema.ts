import { z } from 'zod';
import { AGENT_NAME_RE, AGENT_NAME_RULE } from '../names.js';
import { connectorSchema } from '../connectors/config.js';
import { ATTENTION_REASONS } from '../attention/types.js';
import { MERGE_STRATEGIES } from '../review/contract.js';

/**
 * The one roster schema. The CLI, the web forms, fleetd and framework/roster.schema.json all
 * derive from it (scripts/gen.ts writes the JSON Schema; never edit that file by hand).
 */
export const ROSTER_VERSION = 2;

export const agentName = z
  .string()
  .regex(AGENT_NAME_RE, { message: `agent name ${AGENT_NAME_RULE}` });

const seconds = z.number().int().nonnegative();

/** A bare `~` in YAML is null; older rosters wrote it meaning the home directory. */
const directory = z
  .string()
  .min(1)
  .nullable()
  .transform((v) => v ?? '~');

const restartPolicySchema = z
  .object({
    max_restarts: z.number().int().positive().optional().describe('restarts allowed per window'),
    window_seconds: seconds.optional().describe('window for max_restarts'),
    min_uptime_seconds: seconds
      .optional()
      .describe('an agent that lived this long resets its backoff'),
    backoff_initial_seconds: seconds.optional(),
    backoff_max_seconds: seconds.optional(),
  })
  .strict();

export const DEFAULT_RESTART_POLICY = {
  max_restarts: 5,
  window_seconds: 600,
  min_uptime_seconds: 30,
  backoff_initial_seconds: 2,
  backoff_max_seconds: 120,
} as const satisfies Required<z.infer<typeof restartPolicySchema>>;

/**
 * A friendly name ("Mos") for presentation only: one line of at most 48 printable characters,
 * no surrounding spaces. The agent name stays the address (docs/contract.md "Identity").
 */
const friendlyAlias = z
  .string()
  .max(48)
  .regex(/^[^\s\p{C}](?:[^\p{C}\p{Zl}\p{Zp}]*[^\s\p{C}])?$/u, {
    message: 'alias must be printable text on one line, without leading or trailing spaces',
  });

/** A launch command: an argv array, or a string split into words (quotes respected, never run by a shell). */
const commandSchema = z.union([z.string().min(1), z.array(z.string()).min(1)]);

export const agentSchema = z
  .object({
    name: agentName,
    runtime: z
      .string()
      .min(1)
      .optional()
      .describe(
        'runtime id (claude, codex, pi, opencode, gemini, aider, stub, or one declared under runtimes)',
      ),
    harness: z.string().min(1).optional().describe('alias of runtime'),
    class: z
      .string()
      .min(1)
      .describe('fleet function: orchestrator, enhancer, implementer, reviewer, …'),
    role: z.string().min(1).optional().describe('persona from the role library'),
    alias: friendlyAlias
      .optional()
      .describe('friendly name shown to people and peers; the agent is still addressed by name'),
    model: z.string().min(1).optional(),
    model_hint: z.string().min(1).optional().describe('older name of model'),
    yolo: z.boolean().optional().describe('skip permission prompts (runtime flag)'),
    command: commandSchema.optional().describe('launch command overriding the runtime default'),
    channels: z.array(z.string().min(1)).optional(),
    working_directory: directory.optional(),
    reset_between_tasks: z.boolean().optional(),
    resume: z
      .boolean()
      .optional()
      .describe(
        'a restart reopens the conversation the runtime was in (default: true, false with reset_between_tasks)',
      ),
    persistent_persona: z.boolean().optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('false keeps the agent in the roster without running it'),
    host: z.string().min(1).optional(),
    ssh: z.string().min(1).optional().describe('ssh destination for a remote agent'),
    tenant_id: z.string().min(1).optional(),
    env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).optional(),
    restart: restartPolicySchema.optional(),
  })
  .strict();

const runtimeConfigSchema = z
  .object({
    reset_command: z.string().min(1).optional(),
    command: commandSchema.optional().describe('launch command for a custom runtime'),
    bin_dir: z.string().min(1).optional().describe('directory added to PATH for this runtime'),
  })
  .strict();

/** A git repository the fleet works in (docs/review.md): cards name it by `name`. */
export const repoSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
      message: 'repo name: letters, digits, . _ - (at most 64), starting with a letter or digit',
    }),
    path: z.string().min(1).describe('a local git repository (~ is your home)'),
    base: z.string().min(1).default('main').describe('the branch cards start from and merge into'),
    remote: z
      .string()
      .min(1)
      .optional()
      .describe('a remote to push the merged base to (e.g. origin)'),
    merge: z
      .enum(MERGE_STRATEGIES)
      .default('squash')
      .describe('how the merge gate lands an approved card: squash, merge or rebase'),
    pull_request: z
      .enum(['gh', 'tea'])
      .optional()
      .describe('also open a forge pull request for each card with this CLI (needs remote)'),
  })
  .strict();

export const rosterSchema = z
  .object({
    version: z.number().int().positive(),
    transport: z.literal('tmux').default('tmux'),
    tenant_id: z.string().min(1).optional(),
    tmux: z
      .object({
        socket_name: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/)
          .default('mosaic-fleet'),
        holder_session: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/)
          .default('_holder'),
        history_limit: z.number().int().positive().optional(),
      })
      .strict()
      .default({ socket_name: 'mosaic-fleet', holder_session: '_holder' }),
    defaults: z
      .object({
        working_directory: directory.optional(),
        heartbeat_interval_seconds: z.number().int().positive().optional(),
        /** how often, at most, the orchestrator is asked to replan when nothing is ready */
        replan_interval_seconds: z.number().int().min(5).optional(),
        /** how often, at most, the enhancer gets a digest of what happened (default 1800) */
        enhancer_digest_seconds: z.number().int().min(10).optional(),
        restart: restartPolicySchema.optional(),
        yolo: z.boolean().optional(),
        /** the default of each agent's `resume` */
        resume: z.boolean().optional(),
      })
      .strict()
      .default({}),
    runtimes: z.record(z.string(), runtimeConfigSchema).default({}),
    agents: z.array(agentSchema),
    repos: z.array(repoSchema).default([]).describe('git repositories cards are worked in'),
    default_repo: z
      .string()
      .min(1)
      .optional()
      .describe('the repo of a card that names none (otherwise such cards are plain cards)'),
    connector: connectorSchema
      .optional()
      .describe(
        "the operator's chat: where inbox notifications go and where the orchestrator is reached (docs/connectors.md)",
      ),
  })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.repos.forEach((repo, i) => {
      if (seen.has(repo.name))
        ctx.addIssue({
          code: 'custom',
          path: ['repos', i, 'name'],
          message: `repo "${repo.name}" is declared twice`,
        });
      seen.add(repo.name);
      if (repo.pull_request && !repo.remote)
        ctx.addIssue({
          code: 'custom',
          path: ['repos', i, 'pull_request'],
          message: `repo "${repo.name}": a pull request needs a remote to push the branch to`,
        });
    });
    if (r.default_repo !== undefined && !seen.has(r.default_repo))
      ctx.addIssue({
        code: 'custom',
        path: ['default_repo'],
        message: `default_repo "${r.default_repo}" is not one of repos (${[...seen].join(', ') || 'none declared'})`,
      });
    const reasons = r.connector?.notify.reasons ?? [];
    reasons.forEach((reason, i) => {
      if (!(ATTENTION_REASONS as readonly string[]).includes(reason))
        ctx.addIssue({
          code: 'custom',
          path: ['connector', 'notify', 'reasons', i],
          message: `unknown inbox reason "${reason}" (known: ${ATTENTION_REASONS.join(', ')})`,
        });
    });
  });

export type RosterInput = z.input<typeof rosterSchema>;
export type Roster = z.output<typeof rosterSchema>;
export type RosterAgent = z.output<typeof agentSchema>;
export type RosterRepo = z.output<typeof repoSchema>;
export type RestartPolicy = Required<z.infer<typeof restartPolicySchema>>;
