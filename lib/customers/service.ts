import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { customers, type Customer } from "@/db/schema";
import { listCustomerCardIds } from "@/db/queries/cards";
import { record, wake, withEvents, type EventContext } from "@/lib/card-events";
import { changeCard } from "@/lib/cards/change";
import { AppError, NotFoundError, isUniqueViolation } from "@/lib/errors";
import { currentConsentText, giveMarketingConsent, withdrawMarketingConsent } from "@/lib/push-events/consent";
import { isUuid } from "@/lib/validations/common";
import type { CustomerFields } from "@/lib/validations/customers";
import { findCustomer } from "./index";

/** The fields a change may set; null clears an optional one. The phone is required, so it is never cleared. */
export type CustomerPatch = { phone?: string; email?: string | null; name?: string | null; birthday?: string | null; marketingConsent?: boolean };

/**
 * Gives (with the merchant's current consent text, now) or withdraws marketing consent when it
 * differs from what the customer has; a consent already given keeps its text and time. True if changed.
 */
async function setConsent(db: Db, merchantId: string, customer: Customer, consent: boolean | undefined): Promise<boolean> {
  if (consent === undefined || consent === customer.marketingConsent) return false;
  if (consent) {
    const given = await giveMarketingConsent(db, merchantId, customer.id, await currentConsentText(db, merchantId));
    // They withdrew through the stop link: only they can agree again (the enrolment page, a form).
    if (!given.length) throw new AppError("conflict", "customers.errors.consentStopped", { marketingConsent: "customers.errors.consentStopped" });
  } else await withdrawMarketingConsent(db, merchantId, customer.id);
  return true;
}

const phoneTaken = () => new AppError("conflict", "customers.errors.phoneTaken", { phone: "customers.errors.phoneTaken" });

export async function getCustomerOrThrow(db: Db, merchantId: string, id: string): Promise<Customer> {
  const row = isUuid(id) ? await findCustomer(db, merchantId, id) : undefined;
  if (!row) throw new NotFoundError();
  return row;
}

/** Creates a customer with `customer.created`; a phone the merchant already has is a conflict, never a second customer. */
export async function createCustomer(db: Db, ctx: EventContext, input: CustomerFields & { marketingConsent?: boolean }): Promise<Customer> {
  try {
    return await withEvents(db, async (tx, record) => {
      const [row] = await tx
        .insert(customers)
        .values({ merchantId: ctx.merchantId, phone: input.phone, email: input.email ?? null, name: input.name ?? "", birthday: input.birthday ?? null })
        .returning();
      await record(ctx, [{ type: "customer.created", data: { customerId: row.id } }]);
      if (!(await setConsent(tx, ctx.merchantId, row, input.marketingConsent))) return row;
      return (await findCustomer(tx, ctx.merchantId, row.id))!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "customers_merchant_phone")) throw phoneTaken();
    throw err;
  }
}

/**
 * Changes a customer's details with `customer.updated`. Their name and phone show on their passes, so
 * each of their cards gets `card.holder_changed` and a wallet update, in the same transaction (as the
 * cabinet's holder form does). Nothing changed = nothing recorded.
 */
export async function changeCustomer(db: Db, ctx: EventContext, id: string, patch: CustomerPatch): Promise<Customer> {
  const current = await getCustomerOrThrow(db, ctx.merchantId, id);
  const set: Partial<Record<Exclude<keyof CustomerPatch, "marketingConsent">, string | null>> = {};
  if (patch.phone !== undefined && patch.phone !== current.phone) set.phone = patch.phone;
  if (patch.email !== undefined && (patch.email ?? null) !== current.email) set.email = patch.email ?? null;
  if (patch.name !== undefined && (patch.name ?? "") !== current.name) set.name = patch.name ?? "";
  if (patch.birthday !== undefined && (patch.birthday ?? null) !== current.birthday) set.birthday = patch.birthday ?? null;
  const consentChanges = patch.marketingConsent !== undefined && patch.marketingConsent !== current.marketingConsent;
  if (!Object.keys(set).length && !consentChanges) return current;
  if (!Object.keys(set).length) {
    // Consent alone: nothing on the passes changes.
    return withEvents(db, async (tx, record) => {
      await setConsent(tx, ctx.merchantId, current, patch.marketingConsent);
      await record(ctx, [{ type: "customer.updated", data: { customerId: id, changed: ["marketingConsent"] } }]);
      return (await findCustomer(tx, ctx.merchantId, id))!;
    });
  }
  const jobs = new Set<string>();
  try {
    const changed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(customers)
        .set({ ...set, name: set.name ?? undefined, updatedAt: sql`now()` })
        .where(and(eq(customers.id, id), eq(customers.merchantId, ctx.merchantId)))
        .returning();
      if (!row) throw new NotFoundError();
      const changed = consentChanges ? [...Object.keys(set), "marketingConsent"] : Object.keys(set);
      if (consentChanges) await setConsent(tx, ctx.merchantId, current, patch.marketingConsent);
      for (const job of await record(tx, ctx, [{ type: "customer.updated", data: { customerId: id, changed } }])) jobs.add(job);
      for (const cardId of await listCustomerCardIds(tx, ctx.merchantId, id)) {
        const holder = { name: row.name, phone: row.phone, email: row.email };
        const { wake: more } = await changeCard(tx, ctx.merchantId, cardId, {}, { event: "card.holder_changed", data: holder, actor: ctx.actor });
        for (const job of more) jobs.add(job);
      }
      return consentChanges ? (await findCustomer(tx, ctx.merchantId, id))! : row;
    });
    await wake(jobs);
    return changed;
  } catch (err) {
    if (isUniqueViolation(err, "customers_merchant_phone")) throw phoneTaken();
    throw err;
  }
}
