CREATE TABLE "agents" (
	"tenant_id" text NOT NULL,
	"host" text NOT NULL,
	"name" text NOT NULL,
	"runtime" text NOT NULL,
	"class" text NOT NULL,
	"state" text DEFAULT 'unknown' NOT NULL,
	"spawn_epoch" integer DEFAULT 0 NOT NULL,
	"pid" integer,
	"last_heartbeat_at" timestamp with time zone,
	"status" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_pk" PRIMARY KEY("tenant_id","host","name"),
	CONSTRAINT "agents_status_object" CHECK (jsonb_typeof("agents"."status") = 'object')
);
--> statement-breakpoint
CREATE TABLE "card_deps" (
	"tenant_id" text NOT NULL,
	"card_id" text NOT NULL,
	"depends_on_id" text NOT NULL,
	"host" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_deps_pk" PRIMARY KEY("tenant_id","card_id","depends_on_id"),
	CONSTRAINT "card_deps_no_self" CHECK ("card_deps"."card_id" <> "card_deps"."depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "card_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "card_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"card_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"host" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_events_kind_check" CHECK ("card_events"."kind" in ('created', 'claimed', 'renewed', 'completed', 'failed', 'reclaimed', 'blocked', 'unblocked', 'moved', 'linked', 'unlinked', 'updated')),
	CONSTRAINT "card_events_detail_object" CHECK (jsonb_typeof("card_events"."detail") = 'object')
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"phase" text,
	"priority" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'ready' NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assignee_class" text,
	"claim_owner" text,
	"claim_host" text,
	"claimed_at" timestamp with time zone,
	"lease_expires_at" timestamp with time zone,
	"fence" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"idempotency_key" text,
	"acceptance" jsonb DEFAULT '{"criteria":[]}'::jsonb NOT NULL,
	"projected_spend" double precision,
	"actual_spend" double precision,
	"blocked_reason" text,
	"last_error" text,
	"host" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "cards_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "cards_status_check" CHECK ("cards"."status" in ('ready', 'claimed', 'blocked', 'done')),
	CONSTRAINT "cards_acceptance_object" CHECK (jsonb_typeof("cards"."acceptance") = 'object'),
	CONSTRAINT "cards_attempts_check" CHECK ("cards"."attempts" >= 0 and "cards"."max_attempts" >= 1)
);
--> statement-breakpoint
CREATE TABLE "fleet_flags" (
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"value" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"set_by" text NOT NULL,
	"host" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fleet_flags_pk" PRIMARY KEY("tenant_id","name"),
	CONSTRAINT "fleet_flags_value_object" CHECK (jsonb_typeof("fleet_flags"."value") = 'object')
);
--> statement-breakpoint
CREATE TABLE "auth_account" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_session" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	CONSTRAINT "auth_session_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "auth_user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auth_user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "auth_verification" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "card_deps" ADD CONSTRAINT "card_deps_card_fk" FOREIGN KEY ("tenant_id","card_id") REFERENCES "public"."cards"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_deps" ADD CONSTRAINT "card_deps_depends_on_fk" FOREIGN KEY ("tenant_id","depends_on_id") REFERENCES "public"."cards"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_account" ADD CONSTRAINT "auth_account_user_id_auth_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."auth_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_session" ADD CONSTRAINT "auth_session_user_id_auth_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."auth_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_deps_reverse_idx" ON "card_deps" USING btree ("tenant_id","depends_on_id");--> statement-breakpoint
CREATE INDEX "card_events_card_idx" ON "card_events" USING btree ("tenant_id","card_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cards_idempotency_key_idx" ON "cards" USING btree ("tenant_id","idempotency_key") WHERE "cards"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "cards_claim_order_idx" ON "cards" USING btree ("tenant_id","status","priority" DESC NULLS FIRST,"created_at","id");--> statement-breakpoint
CREATE INDEX "cards_lease_idx" ON "cards" USING btree ("tenant_id","status","lease_expires_at");--> statement-breakpoint
CREATE INDEX "auth_account_user_idx" ON "auth_account" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "auth_session_user_idx" ON "auth_session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "auth_verification_identifier_idx" ON "auth_verification" USING btree ("identifier");