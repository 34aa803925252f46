CREATE TABLE "agent_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agent_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"host" text NOT NULL,
	"agent" text NOT NULL,
	"kind" text NOT NULL,
	"epoch" integer,
	"reason" text,
	"actor" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_events_kind_check" CHECK ("agent_events"."kind" in ('started', 'takeover', 'released')),
	CONSTRAINT "agent_events_detail_object" CHECK (jsonb_typeof("agent_events"."detail") = 'object')
);
--> statement-breakpoint
CREATE INDEX "agent_events_agent_idx" ON "agent_events" USING btree ("tenant_id","host","agent","at");--> statement-breakpoint
CREATE INDEX "agent_events_at_idx" ON "agent_events" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "attention_items_agent_idx" ON "attention_items" USING btree ("tenant_id","agent","since");--> statement-breakpoint
CREATE INDEX "card_events_agent_idx" ON "card_events" USING btree ("tenant_id",split_part("actor", '@', 1),"at");