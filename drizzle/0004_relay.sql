CREATE TABLE "relay_commands" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"from_host" text NOT NULL,
	"to_host" text NOT NULL,
	"agent" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"taken_by" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"taken_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	CONSTRAINT "relay_commands_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "relay_commands_state" CHECK ("relay_commands"."state" in ('pending', 'taken', 'done'))
);
--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "panel_url" text;--> statement-breakpoint
CREATE INDEX "relay_commands_to_idx" ON "relay_commands" USING btree ("tenant_id","to_host","state","created_at");