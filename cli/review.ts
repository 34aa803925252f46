/**
 * `fleet review`: repo cards waiting for their one approval (docs/review.md), through fleetd's
 * review operations (lib/ops/review.ts): list them, show one with its diff, approve it (the
 * merge gate merges it next) or send it back to its author with a comment.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { usage } from '../lib/errors.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';
import { defaultReviewer, renderReviewList, renderReviewShow } from './review-format.js';

interface ReviewOpts {
  json?: boolean;
  diff?: boolean;
  by?: string;
  comment?: string;
  commentFile?: string;
}

/** One client per command, closed whatever happens. */
async function withFleetd<T>(ctx: CliContext, run: (c: FleetdClient) => Promise<T>): Promise<T> {
  const client = await connectFleetd(ctx);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

function commentText(o: ReviewOpts): string {
  if ((o.comment === undefined) === (o.commentFile === undefined))
    throw usage('say what to change: --comment <text> or --comment-file <path> (- for stdin)');
  if (o.comment !== undefined) return o.comment;
  return readFileSync(o.commentFile === '-' ? 0 : o.commentFile!, 'utf8');
}

const by = (ctx: CliContext, o: ReviewOpts) => o.by ?? defaultReviewer(ctx.env, os.hostname());

export const registerReview: Register = (program: Command, ctx: CliContext) => {
  const review = program
    .command('review')
    .description('repo cards waiting for their one approval, then the merge gate');

  review
    .command('list')
    .description('cards in review, oldest first')
    .option('--json', 'print the JSON answer')
    .action((o: ReviewOpts) =>
      withFleetd(ctx, async (c) => {
        const r = await c.review.list();
        if (o.json) printJson(ctx, r);
        else ctx.out(renderReviewList(r.reviews));
      }),
    );

  review
    .command('show')
    .description('one card in review: its branch, its review record and its files')
    .argument('<id>')
    .option('--diff', 'print each file’s patch under it')
    .option('--json', 'print the JSON answer')
    .action((id: string, o: ReviewOpts) =>
      withFleetd(ctx, async (c) => {
        const v = await c.review.show({ id, diff: Boolean(o.diff) });
        if (o.json) printJson(ctx, v);
        else for (const l of renderReviewShow(v, { diff: Boolean(o.diff) })) ctx.out(l);
      }),
    );

  review
    .command('approve')
    .description('the one approval: the merge gate merges the card next')
    .argument('<id>')
    .option('--by <who>', 'who approves (default $MOSAIC_AGENT_NAME, else <host>:operator)')
    .option('--json', 'print the JSON answer')
    .action((id: string, o: ReviewOpts) =>
      withFleetd(ctx, async (c) => {
        const v = await c.review.approve({ id, by: by(ctx, o) });
        if (o.json) return printJson(ctx, v);
        ctx.out(
          `${v.card.id}: approved by ${v.review.approved_by ?? by(ctx, o)}; the merge gate merges it next`,
        );
      }),
    );

  review
    .command('request-changes')
    .description('send the card back to its author with what to change')
    .argument('<id>')
    .option('--comment <text>', 'what to change')
    .option('--comment-file <path>', 'read the comment from a file (- for stdin)')
    .option('--by <who>', 'who reviews (default $MOSAIC_AGENT_NAME, else <host>:operator)')
    .option('--json', 'print the JSON answer')
    .action((id: string, o: ReviewOpts) => {
      const comment = commentText(o);
      return withFleetd(ctx, async (c) => {
        const v = await c.review.requestChanges({ id, comment, by: by(ctx, o) });
        if (o.json) return printJson(ctx, v);
        ctx.out(`${v.card.id}: changes requested; back to ${v.review.author}`);
      });
    });
};
