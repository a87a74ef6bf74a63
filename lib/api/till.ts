import "server-only";
import { z } from "zod";
import { localeOfCountry } from "@/i18n/config";
import { clientIp } from "@/lib/auth/client-ip";
import { hasScope } from "@/lib/api-keys";
import type { TillContext, TillOutcome } from "@/lib/till/post";
import { requiredText } from "@/lib/validations/common";
import { postTransactionSchema } from "@/lib/validations/ledger";
import { postedResponse } from "./ledger";
import type { ApiContext } from "./with-api-key";

/** The till a key stands for (Settings → Tills), with the merchant's till rules; the skip scope from the key. */
export function tillContextOf(api: ApiContext, request: Request): TillContext {
  return {
    merchantId: api.merchantId,
    actor: api.actor,
    till: api.till && { id: api.till.id, name: api.till.name, locationId: api.till.locationId },
    settings: api.tillSettings,
    timeZone: api.merchant.timeZone,
    maySkip: hasScope(api.scopes, "pos:skip_confirmation"),
    ip: clientIp(request.headers),
    locale: localeOfCountry(api.merchant.country),
    merchantName: api.merchant.name,
    currency: api.merchant.currency,
  };
}

export const skipConfirmationSchema = z
  .object({ reason: requiredText(200).meta({ description: "Why the code could not be used." }) })
  .meta({ description: "Complete without the customer's code (needs the `pos:skip_confirmation` scope); written to the card's history and the audit log." });

/** The till's POST body: the ledger's request, each kind with an optional `skipConfirmation`. */
export const tillPostSchema = z.discriminatedUnion(
  "type",
  postTransactionSchema.options.map((option) => option.extend({ skipConfirmation: skipConfirmationSchema.optional() })) as unknown as [
    (typeof postTransactionSchema.options)[number],
    ...(typeof postTransactionSchema.options)[number][],
  ],
  { error: "ledger.errors.type" },
);

export function parseTillPost(body: unknown) {
  return tillPostSchema.parse(body) as z.output<typeof postTransactionSchema> & { skipConfirmation?: { reason: string } };
}

/** 201 with the transaction, or 202 with the pending confirmation. */
export function tillOutcomeResponse(outcome: TillOutcome): Response {
  if (outcome.pending) return Response.json(outcome.pending, { status: 202 });
  return postedResponse(outcome.posted);
}
