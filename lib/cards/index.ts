import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, type Card, type Customer } from "@/db/schema";
import { refreshCardStatus } from "@/db/queries/card-status";
import { findCardDetail, listCardDeviceRows, listCardEventRows, listCardRows, listCustomerCardIds, type CardFilters } from "@/db/queries/cards";
import { recordAudit } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";
import { KIND_MAPPING, barcodeRefusal } from "@/lib/templates/definition";
import { isUuid } from "@/lib/validations/common";
import type { IssueCardInput, SettableState } from "@/lib/validations/cards";
import type { CustomerFields } from "@/lib/validations/customers";
import { upsertCustomers, updateCustomer } from "@/lib/customers";
import { record, wake, type EventName } from "@/lib/card-events";
import { adjustBalanceTo } from "@/lib/ledger";
import type { CardActor } from "./actor";
import type { CardSource } from "@/lib/reports/dimensions";
import { changeCard, type CardSet } from "./change";
import { customKeysOf, findHeldCard, issueCardsBatch, lockHolder } from "./issue";

export { countCardsByTemplate } from "./template-cards";
export type { CardActor } from "./actor";

export const CARDS_PAGE_SIZE = 25;
export const CARD_EVENTS_PAGE_SIZE = 20;

export const listCards = listCardRows;
export const listCardEvents = listCardEventRows;
export const listCardDevices = listCardDeviceRows;
export type { CardFilters };

export async function getCardOrThrow(db: Db, merchantId: string, id: string) {
  const row = isUuid(id) ? await findCardDetail(db, merchantId, { id }) : undefined;
  if (!row) throw new NotFoundError();
  return row;
}

/** One change a request makes, worked out from the card as it is when the change applies; null = nothing to do. */
type Step = (card: Card) => { set: CardSet; event: EventName; data?: Record<string, unknown> } | null;

/**
 * Applies a request's changes to a card in one transaction, the card row locked, each change with its
 * own event; then wakes what the events' followers named. `expectedTag` refuses a card changed since
 * the editor loaded it; `precondition` (the API's If-Match) runs on the locked card before any change,
 * so nothing can change the card between its check and the write.
 */
async function apply(
  db: Db,
  merchantId: string,
  cardId: string,
  actor: CardActor,
  steps: Step[],
  expectedTag?: number,
  balanceTo?: number,
  precondition?: CardPrecondition,
): Promise<Card> {
  const jobs = new Set<string>();
  const card = await db.transaction(async (tx) => {
    const where = and(eq(cards.id, cardId), eq(cards.merchantId, merchantId));
    let [current] = await tx.select().from(cards).where(where).for("update");
    if (!current) throw new NotFoundError();
    if (expectedTag !== undefined && current.updateTag !== expectedTag) throw new AppError("conflict", "cards.errors.changedMeanwhile");
    if (precondition) await precondition(tx);
    // The balance is the ledger's running total: a new one is an adjustment for the difference, never written here.
    if (balanceTo !== undefined) {
      const adjusted = await adjustBalanceTo(tx, { merchantId, actor }, cardId, balanceTo);
      if (adjusted) {
        for (const job of adjusted) jobs.add(job);
        [current] = await refreshCardStatus(tx, merchantId, [cardId]);
      }
    }
    for (const step of steps) {
      const next = step(current);
      if (!next) continue;
      const changed = await changeCard(tx, merchantId, cardId, next.set, { event: next.event, data: next.data, actor });
      current = changed.card;
      for (const job of changed.wake) jobs.add(job);
    }
    return current;
  });
  await wake(jobs);
  return card;
}

function checkCustomKeys(allowed: string[], custom: Record<string, string> | undefined) {
  const unknown = Object.keys(custom ?? {}).filter((k) => !allowed.includes(k));
  if (unknown.length)
    throw new AppError("validation", "cards.errors.unknownCustom", { custom: "cards.errors.unknownCustom" }, { keys: unknown.join(", ") }, { keys: unknown });
}

/** The phone already holds a card of the template; `data.cardId` names it (the API answers the whole card). */
export class CardExistsError extends AppError {
  constructor(readonly card: Card) {
    super("card_exists", "cards.errors.cardExists", undefined, { number: card.number }, { cardId: card.id, number: card.number });
    this.name = "CardExistsError";
  }
}

/**
 * What to do when the phone already holds a card of the template: refuse with CardExistsError (the
 * default everywhere), hand back that card (the till, enrolment), or issue another on purpose.
 */
export type OnExistingCard = "refuse" | "return" | "issue";

/**
 * Issues one card from the cabinet or the API, one card per phone per template unless
 * `allowDuplicate` says to issue another on purpose.
 */
export async function issueCard(db: Db, merchantId: string, actor: CardActor, input: IssueCardInput): Promise<Card> {
  return (await issueCardOnce(db, merchantId, actor, input, input.allowDuplicate ? "issue" : "refuse")).card;
}

/**
 * Issues one card, or finds the one the phone already holds of the template (`onExisting`); `created`
 * tells which. `levelFloor` (a company's starting level, lib/forms) is no caller's input: only enrolment
 * passes it.
 */
export async function issueCardOnce(
  db: Db,
  merchantId: string,
  actor: CardActor,
  input: Omit<IssueCardInput, "allowDuplicate"> & { levelFloor?: number | null },
  onExisting: OnExistingCard,
  source?: CardSource,
): Promise<{ card: Card; created: boolean }> {
  return db.transaction(async (tx) => {
    const { template, version } = await getTemplateOrThrow(tx, merchantId, input.templateId).catch((err) => {
      throw err instanceof NotFoundError ? new AppError("validation", "cards.errors.template", { templateId: "cards.errors.template" }) : err;
    });
    if (template.archivedAt) throw new AppError("validation", "cards.errors.templateArchived", { templateId: "cards.errors.templateArchived" });
    checkCustomKeys(customKeysOf(version.definition), input.custom);
    if (onExisting !== "issue") {
      await lockHolder(tx, merchantId, template.id, input.customer.phone);
      const held = await findHeldCard(tx, merchantId, template.id, input.customer.phone);
      if (held && onExisting === "return") return { card: held, created: false };
      if (held) throw new CardExistsError(held);
    }
    const result = await issueCardsBatch(
      tx,
      merchantId,
      { template, definition: version.definition },
      [
        {
          customer: input.customer,
          balance: input.balance,
          discount: input.discount,
          levelFloor: input.levelFloor,
          custom: input.custom,
          expiresAt: input.expiresAt,
          number: input.number,
        },
      ],
      actor,
      { source },
    );
    const refused = result.refused[0];
    if (refused) {
      const code = refused.message === "cards.errors.numberTaken" ? "conflict" : "validation";
      throw new AppError(code, refused.message, { number: refused.message }, refused.params, refused.params);
    }
    const card = result.issued[0].card;
    if (actor.type === "staff") {
      await recordAudit(
        tx,
        { merchantId, userId: actor.userId },
        { action: "card.issued", entityType: "card", entityId: card.id, after: { number: card.number, templateId: template.id } },
      );
    }
    return { card, created: true };
  });
}

export type CardValuesInput = { balance?: number; discount?: number; custom?: Record<string, string> };

/** The values a card changes itself; `balance` is not among them (see `apply`). */
function valuesStep(input: CardValuesInput): Step {
  return (card) => {
    const set: CardSet = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const note = <K extends "discount" | "custom">(key: K, to: Card[K]) => {
      if (JSON.stringify(card[key]) === JSON.stringify(to)) return;
      set[key] = to;
      before[key] = card[key];
      after[key] = to;
    };
    if (input.discount !== undefined) note("discount", input.discount);
    if (input.custom !== undefined) {
      // An empty value removes the key, so the field on the pass shows nothing.
      const merged = { ...card.custom, ...input.custom };
      for (const [k, v] of Object.entries(merged)) if (v === "") delete merged[k];
      note("custom", merged);
    }
    return Object.keys(set).length ? { set, event: "card.updated", data: { before, after } } : null;
  };
}

const expiryStep =
  (expiresAt: Date | null): Step =>
  (card) =>
    card.expiresAt?.getTime() === expiresAt?.getTime()
      ? null
      : { set: { expiresAt }, event: "card.expiry_changed", data: { from: card.expiresAt?.toISOString() ?? null, to: expiresAt?.toISOString() ?? null } };

export async function updateCardValues(db: Db, merchantId: string, actor: CardActor, id: string, input: CardValuesInput, expectedTag?: number): Promise<Card> {
  const { definition } = await getCardOrThrow(db, merchantId, id);
  checkCustomKeys(customKeysOf(definition), input.custom);
  return apply(db, merchantId, id, actor, [valuesStep(input)], expectedTag, input.balance);
}

export async function setCardExpiry(db: Db, merchantId: string, actor: CardActor, id: string, expiresAt: Date | null, expectedTag?: number): Promise<Card> {
  return apply(db, merchantId, id, actor, [expiryStep(expiresAt)], expectedTag);
}

const TRANSITIONS: Record<
  "block" | "unblock" | "deactivate" | "activate",
  { from: Card["blockReason"][]; to: Card["blockReason"]; event: EventName; refusal: string }
> = {
  block: { from: [null], to: "lost", event: "card.blocked", refusal: "cards.errors.cannotBlock" },
  unblock: { from: ["lost"], to: null, event: "card.unblocked", refusal: "cards.errors.notBlocked" },
  deactivate: { from: [null, "lost"], to: "deactivated", event: "card.deactivated", refusal: "cards.errors.alreadyDeactivated" },
  activate: { from: ["deactivated"], to: null, event: "card.activated", refusal: "cards.errors.notDeactivated" },
};

type Transition = keyof typeof TRANSITIONS;

const transitionStep =
  (op: Transition): Step =>
  (card) => {
    const rule = TRANSITIONS[op];
    if (!rule.from.includes(card.blockReason)) throw new AppError("conflict", rule.refusal);
    return { set: { blockReason: rule.to }, event: rule.event };
  };

/** The API's `status`: the wanted state, reached by whichever transition leads there; already there = no change. */
const stateStep =
  (state: SettableState): Step =>
  (card) => {
    const want = state === "blocked" ? "lost" : state === "deactivated" ? "deactivated" : null;
    if (card.blockReason === want) return null;
    const op: Transition = want === "lost" ? "block" : want === "deactivated" ? "deactivate" : card.blockReason === "lost" ? "unblock" : "activate";
    return transitionStep(op)(card);
  };

/**
 * Block on loss (the pass becomes voided) and unblock; deactivate and activate. A repeated request
 * (a double click) is refused with what the card already is, never applied twice.
 */
export async function transitionCard(db: Db, merchantId: string, actor: CardActor, id: string, op: Transition): Promise<Card> {
  return apply(db, merchantId, id, actor, [transitionStep(op)]);
}

export async function setCardState(db: Db, merchantId: string, actor: CardActor, id: string, state: SettableState): Promise<Card> {
  return apply(db, merchantId, id, actor, [stateStep(state)]);
}

/** A check on the card as it is, made in the change's transaction with the card's row locked; it throws to refuse. */
export type CardPrecondition = (tx: Db) => Promise<void>;

/** The API's PATCH: values, expiry and status together, all or nothing; `precondition` is If-Match's check. */
export async function patchCard(
  db: Db,
  merchantId: string,
  actor: CardActor,
  id: string,
  patch: { values?: CardValuesInput; expiresAt?: Date | null; status?: SettableState },
  precondition?: CardPrecondition,
): Promise<Card> {
  const { definition } = await getCardOrThrow(db, merchantId, id);
  if (patch.values) checkCustomKeys(customKeysOf(definition), patch.values.custom);
  const steps: Step[] = [];
  if (patch.values) steps.push(valuesStep(patch.values));
  if (patch.expiresAt !== undefined) steps.push(expiryStep(patch.expiresAt));
  if (patch.status) steps.push(stateStep(patch.status));
  return apply(db, merchantId, id, actor, steps, undefined, patch.values?.balance, precondition);
}

/**
 * Moves a card to another template of the merchant; its number, values and history stay. Only between
 * templates shown the same way in both wallets (a Google object cannot change its type), and only
 * where the new barcode can carry the number.
 */
export async function moveCard(db: Db, merchantId: string, actor: CardActor, id: string, templateId: string): Promise<Card> {
  const { card, template: from } = await getCardOrThrow(db, merchantId, id);
  const target = await getTemplateOrThrow(db, merchantId, templateId).catch((err) => {
    throw err instanceof NotFoundError ? new AppError("validation", "cards.errors.template", { templateId: "cards.errors.template" }) : err;
  });
  const fail = (message: string) => new AppError("validation", message, { templateId: message });
  if (target.template.id === from.id) throw fail("cards.errors.sameTemplate");
  if (target.template.archivedAt) throw fail("cards.errors.templateArchived");
  const a = KIND_MAPPING[from.kind];
  const b = KIND_MAPPING[target.template.kind];
  if (a.apple !== b.apple || a.google !== b.google) throw fail("cards.errors.incompatibleTemplate");
  const def = target.version.definition;
  if (def.barcode.source === "cardNumber" && barcodeRefusal(def.barcode.format, card.number)) throw fail("cards.errors.numberDoesNotFit");
  return apply(db, merchantId, id, actor, [
    () => ({
      set: { templateId },
      event: "card.moved",
      data: { from: { id: from.id, name: from.name }, to: { id: target.template.id, name: target.template.name } },
    }),
  ]);
}

/**
 * Deletes a card for good. Its events stay, with a last one, `card.deleted`, saying what it was, and so
 * does its ledger: what was left on it is written off first by an `adjust` to zero, so the books
 * (every movement a till or a person made, and the write-off) still add up to the live cards' balances.
 */
export async function deleteCard(db: Db, merchantId: string, actor: CardActor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (!isUuid(id)) throw new NotFoundError();
    // Locks the card (another merchant's or a missing one: not found) and writes off what is left; the
    // wallet update it queues goes with the card, and nothing is woken for a card that is gone.
    await adjustBalanceTo(tx, { merchantId, actor }, id, 0, "card deleted");
    const [deleted] = await tx
      .delete(cards)
      .where(and(eq(cards.id, id), eq(cards.merchantId, merchantId)))
      .returning();
    if (!deleted) throw new NotFoundError();
    await record(tx, { merchantId, actor }, [
      {
        type: "card.deleted",
        cardId: id,
        data: { number: deleted.number, templateId: deleted.templateId, balance: deleted.balance, discount: deleted.discount },
      },
    ]);
    if (actor.type === "staff") {
      await recordAudit(
        tx,
        { merchantId, userId: actor.userId },
        {
          action: "card.delete",
          entityType: "card",
          entityId: id,
          before: { number: deleted.number, balance: deleted.balance, templateId: deleted.templateId },
        },
      );
    }
  });
}

/**
 * Changes a holder's details. The name shows on each of their passes, so every card of theirs gets
 * an event, a new update tag and a wallet update, in the same transaction.
 */
export async function updateCardCustomer(db: Db, merchantId: string, actor: CardActor, cardId: string, input: CustomerFields): Promise<void> {
  const { card, customer } = await getCardOrThrow(db, merchantId, cardId);
  const jobs = await db.transaction(async (tx) => {
    let holder: Customer;
    if (customer) holder = await updateCustomer(tx, merchantId, customer.id, input);
    else {
      holder = (await upsertCustomers(tx, merchantId, [input])).get(input.phone)!;
      await tx
        .update(cards)
        .set({ customerId: holder.id })
        .where(and(eq(cards.id, card.id), eq(cards.merchantId, merchantId)));
    }
    const pending = new Set<string>();
    for (const id of await listCustomerCardIds(tx, merchantId, holder.id)) {
      const changed = await changeCard(
        tx,
        merchantId,
        id,
        {},
        { event: "card.holder_changed", data: { name: holder.name, phone: holder.phone, email: holder.email }, actor },
      );
      for (const job of changed.wake) pending.add(job);
    }
    return pending;
  });
  await wake(jobs);
}
