import type { Db } from "@/db";
import type { CardActor } from "./actor";
import type { EventName } from "./names";

/** Who a change is for and who made it: every service takes this. */
export type EventContext = { merchantId: string; actor: CardActor };

/** One thing that happened. Most are about a card; some are not (a template saved, a campaign started). */
export type DomainEvent = { type: EventName; cardId?: string | null; data?: Record<string, unknown> };

/** An event as followers see it: written, with its id. */
export type RecordedEvent = DomainEvent & { id: string; merchantId: string; cardId: string | null };

/**
 * Something that must follow certain events: a wallet update, a webhook delivery, a report rollup.
 * `follow` runs inside the change's own transaction and writes the follower's durable work row there
 * (so a rolled-back change leaves no work, and committed work is never lost); it returns the names of
 * the jobs to wake once the transaction has committed (see `wakers`).
 */
export type Follower = {
  name: string;
  /** The events it follows; the others never reach it. */
  follows: ReadonlySet<EventName>;
  follow(tx: Db, ctx: EventContext, events: RecordedEvent[]): Promise<string[]>;
};
