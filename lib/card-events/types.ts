import type { SQL } from "drizzle-orm";
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
  /** Its first statement sent with the events' own insert, as one statement: see `RideAlong`. */
  rideAlong?: RideAlong;
};

/**
 * A follower whose work starts with one statement that needs nothing the events' insert writes can
 * ride along with it: the door sends the events and every such statement as one (each a CTE), one
 * round trip to the database however many followers there are — a till's purchase pays for one.
 *
 * - `sql`: the statement, with `sql.placeholder(…)` for what varies; the names are the follower's own,
 *   except `merchantId`, which the door gives. It must return rows (RETURNING, or a select), and it
 *   sees the database as it was before the statement (sub-statements of one statement share a
 *   snapshot), so it must not need the events' rows.
 * - `applies`: whether these events can go this way (otherwise the door calls `follow`).
 * - `after`: gets the rows the statement returned; it may write more, and returns the jobs to wake.
 */
export type RideAlong = {
  applies?(events: RecordedEvent[], ctx: EventContext): boolean;
  sql: SQL;
  values(events: RecordedEvent[], ctx: EventContext): Record<string, unknown>;
  after(tx: Db, ctx: EventContext, events: RecordedEvent[], rows: Record<string, unknown>[]): Promise<string[]>;
};
