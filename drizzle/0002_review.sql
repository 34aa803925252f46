ALTER TABLE "card_events" DROP CONSTRAINT "card_events_kind_check";--> statement-breakpoint
ALTER TABLE "cards" DROP CONSTRAINT "cards_status_check";--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "repo" text;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "base" text;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "paths" jsonb DEFAULT '{"globs":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "assignee" text;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "review" jsonb;--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "wait_reason" text;--> statement-breakpoint
ALTER TABLE "card_events" ADD CONSTRAINT "card_events_kind_check" CHECK ("card_events"."kind" in ('created', 'claimed', 'renewed', 'completed', 'failed', 'reclaimed', 'blocked', 'unblocked', 'moved', 'linked', 'unlinked', 'updated', 'submitted', 'approved', 'returned', 'merged', 'merge_held'));--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_paths_object" CHECK (jsonb_typeof("cards"."paths") = 'object');--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_review_object" CHECK ("cards"."review" is null or jsonb_typeof("cards"."review") = 'object');--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_status_check" CHECK ("cards"."status" in ('ready', 'claimed', 'review', 'blocked', 'done'));