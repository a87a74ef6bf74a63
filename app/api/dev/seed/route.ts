// POST /api/dev/seed — a merchant with its owner, made straight in the database (browser tests only)
import { z } from "zod";
import { getDb } from "@/db";
import { devTokenGiven } from "@/lib/dev/token";
import { createLocation } from "@/lib/locations";
import { createMerchantWithOwner } from "@/lib/merchants";
import { seedReportHistory } from "@/lib/reports/demo-history";
import { createTemplate } from "@/lib/templates";
import { signUpSchema } from "@/lib/validations/auth";

const body = signUpSchema.extend({ history: z.boolean().optional() });

/**
 * Browser tests start most scenarios from a signed-up merchant; making one here instead of through
 * sign-up's form and e-mail link keeps them fast and independent of it (the sign-up spec covers the
 * form). Like the dev outbox it answers only with `Authorization: Bearer <DEV_OUTBOX>`, 404 otherwise.
 */
export async function POST(request: Request): Promise<Response> {
  if (!devTokenGiven(request)) return new Response("Not found", { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: z.flattenError(parsed.error).fieldErrors }, { status: 422 });
  const { history, ...signUp } = parsed.data;
  const { merchant, owner } = await createMerchantWithOwner(getDb(), signUp);
  // `history`: a few months of cards, installs and purchases, so the reports have something to draw.
  if (history) {
    const template = await createTemplate(getDb(), { merchantId: merchant.id, userId: owner.id }, { name: "Coffee card", kind: "loyalty" });
    await createLocation(
      getDb(),
      { merchantId: merchant.id, userId: owner.id },
      { name: "Tverskaya", address: "", latitude: 55.7579, longitude: 37.6131, nearbyText: "" },
    );
    await seedReportHistory(getDb(), { id: merchant.id, ownerId: owner.id, templateId: template.id });
  }
  return Response.json({ merchantId: merchant.id, slug: merchant.slug, ownerId: owner.id }, { status: 201 });
}
