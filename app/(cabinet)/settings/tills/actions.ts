"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { createStockRange, deleteStockRange } from "@/lib/till/stock";
import { createTill, deleteTill, saveTillRules } from "@/lib/till/tills";
import { API_SCOPES } from "@/lib/validations/api-keys";
import { cardStockSchema, tillFormSchema, tillRulesSchema } from "@/lib/validations/till";

const revalidate = ["/settings/tills"];
const idSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });

/** Returns the till's new key: the one time it exists outside its hash. */
export const createTillAction = staffAction(
  {
    permission: "tills.manage",
    schema: z.preprocess(
      (raw) => {
        const form = (raw ?? {}) as Record<string, unknown>;
        return { ...form, scopes: API_SCOPES.filter((s) => form[`scope.${s}`] !== undefined) };
      },
      tillFormSchema.extend({ scopes: z.array(z.enum(API_SCOPES)) }),
    ),
    revalidate,
  },
  async (ctx, input) => {
    const { till, key } = await createTill(getDb(), ctx, input);
    return { id: till.id, name: till.name, key };
  },
);

export const deleteTillAction = staffAction({ permission: "tills.manage", schema: idSchema, revalidate }, async (ctx, { id }) => {
  await deleteTill(getDb(), ctx, id);
});

export const saveTillRulesAction = staffAction({ permission: "tills.manage", schema: tillRulesSchema, revalidate }, async (ctx, input) => {
  await saveTillRules(getDb(), ctx, input);
});

export const createStockAction = staffAction({ permission: "tills.manage", schema: cardStockSchema, revalidate }, async (ctx, input) => {
  const row = await createStockRange(getDb(), ctx, input);
  return { id: row.id };
});

export const deleteStockAction = staffAction({ permission: "tills.manage", schema: idSchema, revalidate }, async (ctx, { id }) => {
  await deleteStockRange(getDb(), ctx, id);
});
