import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { customers, type Customer } from "@/db/schema";
import { AppError, NotFoundError, isUniqueViolation } from "@/lib/errors";

export type CustomerInput = { phone: string; email?: string | null; name?: string | null; birthday?: string | null };

/**
 * Finds or creates the merchant's customers by phone, in one statement for a whole batch (the batch
 * travels as one JSON parameter, so a file's 2,000 holders cost one parameter, not 10,000). What is
 * already known is never overwritten (a typo in a file cannot rename an existing customer); blanks are
 * filled in. Returns each phone's customer id, and whether this statement created the customer (so it
 * cannot hold anything yet).
 */
export async function upsertCustomerIds(db: Db, merchantId: string, inputs: CustomerInput[]): Promise<Map<string, { id: string; created: boolean }>> {
  const byPhone = new Map<string, CustomerInput>();
  // One row per phone: ON CONFLICT cannot touch the same row twice in one statement.
  for (const c of inputs) if (!byPhone.has(c.phone)) byPhone.set(c.phone, c);
  if (!byPhone.size) return new Map();
  const values = [...byPhone.values()].map((c) => ({ phone: c.phone, email: c.email || null, name: c.name?.trim() || "", birthday: c.birthday || null }));
  const rows = rowsOf<{ id: string; phone: string; created: boolean }>(
    await db.execute(sql`
      insert into customers as c (merchant_id, phone, email, name, birthday)
      select ${merchantId}::uuid, r.phone, r.email, r.name, r.birthday
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(phone text, email text, name text, birthday date)
      on conflict (merchant_id, phone) do update set
        email = coalesce(c.email, excluded.email),
        name = case when c.name = '' then excluded.name else c.name end,
        birthday = coalesce(c.birthday, excluded.birthday),
        updated_at = now()
      returning c.id, c.phone, (c.xmax = 0) as created`),
  );
  // xmax is 0 on a row version this statement inserted, and set on one it updated (PostgreSQL's own marker).
  return new Map(rows.map((r) => [r.phone, { id: r.id, created: r.created }]));
}

/** As upsertCustomerIds, returning the customers themselves by phone. */
export async function upsertCustomers(db: Db, merchantId: string, inputs: CustomerInput[]): Promise<Map<string, Customer>> {
  const ids = await upsertCustomerIds(db, merchantId, inputs);
  if (!ids.size) return new Map();
  const rows = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, merchantId),
        inArray(
          customers.id,
          [...ids.values()].map((c) => c.id),
        ),
      ),
    );
  return new Map(rows.map((r) => [r.phone!, r]));
}

export async function findCustomer(db: Db, merchantId: string, id: string): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.merchantId, merchantId)));
  return row;
}

export async function findCustomersByIds(db: Db, merchantId: string, ids: string[]): Promise<Customer[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), inArray(customers.id, ids)));
}

/** Changes a holder's details; a phone another customer of the merchant already has is refused. */
export async function updateCustomer(db: Db, merchantId: string, id: string, input: CustomerInput): Promise<Customer> {
  try {
    const [row] = await db
      .update(customers)
      .set({ phone: input.phone, email: input.email || null, name: input.name?.trim() || "", birthday: input.birthday || null, updatedAt: sql`now()` })
      .where(and(eq(customers.id, id), eq(customers.merchantId, merchantId)))
      .returning();
    if (!row) throw new NotFoundError();
    return row;
  } catch (err) {
    if (isUniqueViolation(err, "customers_merchant_phone"))
      throw new AppError("conflict", "customers.errors.phoneTaken", { "customer.phone": "customers.errors.phoneTaken" });
    throw err;
  }
}
