"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { apiKeyIdSchema, createApiKeySchema } from "@/lib/validations/api-keys";

const revalidate = ["/settings/api-keys"];

/** Returns the new key itself: the one time it exists outside its hash, for the page to show once. */
export const createApiKeyAction = staffAction({ permission: "apiKeys.manage", schema: createApiKeySchema, revalidate }, async (ctx, input) => {
  const { key, row } = await createApiKey(getDb(), ctx, input);
  return { id: row.id, name: row.name, key };
});

export const revokeApiKeyAction = staffAction({ permission: "apiKeys.manage", schema: apiKeyIdSchema, revalidate }, async (ctx, { id }) => {
  await revokeApiKey(getDb(), ctx, id);
});
