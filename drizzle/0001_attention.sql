CREATE TABLE "attention_items" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"host" text NOT NULL,
	"key" text NOT NULL,
	"reason" text NOT NULL,
	"agent" text,
	"card" text,
	"title" text NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"link" text NOT NULL,
	"actions" jsonb DEFAULT '{"list":[]}'::jsonb NOT NULL,
	"reset_at" timestamp with time zone,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acked_at" timestamp with time zone,
	"acked_by" text,
	"cleared_at" timestamp with time zone,
	CONSTRAINT "attention_items_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "attention_items_actions_object" CHECK (jsonb_typeof("attention_items"."actions") = 'object')
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"host" text NOT NULL,
	"item_id" text,
	"connector" text NOT NULL,
	"text" text NOT NULL,
	"link" text,
	"thread_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"message_id" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "attention_items_open_key_idx" ON "attention_items" USING btree ("tenant_id","host","key") WHERE "attention_items"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "attention_items_since_idx" ON "attention_items" USING btree ("tenant_id","since");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_item_idx" ON "notifications" USING btree ("tenant_id","item_id","connector") WHERE "notifications"."item_id" is not null;--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("tenant_id","host","delivered_at","next_attempt_at");