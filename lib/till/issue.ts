import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, cardTemplates, type Card } from "@/db/schema";
import { issueCardOnce } from "@/lib/cards";
import { sendCard } from "@/lib/cards/send";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { CustomerFields } from "@/lib/validations/customers";
import { findStockRange } from "./stock";
import type { TillContext } from "./post";

/** The template cards issued at the counter get: the till setting's, else the merchant's first active loyalty template. */
export async function counterTemplateId(db: Db, merchantId: string, chosen: string | null | undefined): Promise<string> {
  const [row] = await db
    .select({ id: cardTemplates.id })
    .from(cardTemplates)
    .where(
      and(
        eq(cardTemplates.merchantId, merchantId),
        isNull(cardTemplates.archivedAt),
        chosen ? eq(cardTemplates.id, chosen) : eq(cardTemplates.kind, "loyalty"),
      ),
    )
    .orderBy(asc(cardTemplates.createdAt), asc(cardTemplates.id))
    .limit(1);
  if (!row) throw new AppError("validation", "till.errors.noIssueTemplate");
  return row.id;
}

/**
 * POST /pos/cards: a card for the customer at the counter. With `number`, a pre-printed card of the
 * card stock is activated (its template, balance and discount); without, one is issued on the till
 * template. A phone that already holds a card of that template is refused (`card_exists`). The
 * card's link goes to the phone by SMS.
 */
export async function issueAtCounter(
  db: Db,
  ctx: Pick<TillContext, "merchantId" | "actor" | "settings" | "locale">,
  input: { customer: CustomerFields; number?: string },
): Promise<Card> {
  let issue: { templateId: string; number?: string; balance?: number; discount?: number };
  if (input.number) {
    const [active] = await db
      .select({ id: cards.id })
      .from(cards)
      .where(and(eq(cards.merchantId, ctx.merchantId), eq(cards.number, input.number)))
      .limit(1);
    if (active) throw new AppError("number_active", "till.errors.numberActive", undefined, undefined, { cardId: active.id });
    const range = await findStockRange(db, ctx.merchantId, input.number);
    if (!range) throw new AppError("number_unknown", "till.errors.numberUnknown", { number: "till.errors.numberUnknown" });
    issue = { templateId: range.templateId, number: input.number, balance: range.balance, discount: range.discount };
  } else {
    issue = { templateId: await counterTemplateId(db, ctx.merchantId, ctx.settings?.issueTemplateId) };
  }
  const { card } = await issueCardOnce(db, ctx.merchantId, ctx.actor, { ...issue, customer: input.customer }, "refuse").catch((err) => {
    // Two tills activating one number at once: the loser hears it is active.
    if (input.number && err instanceof AppError && err.message === "cards.errors.numberTaken") throw new AppError("number_active", "till.errors.numberActive");
    throw err;
  });
  try {
    await sendCard(db, ctx.merchantId, ctx.actor, card.id, "sms", ctx.locale ?? "ru");
  } catch (err) {
    logger.warn("card issued at the till not sent", { merchantId: ctx.merchantId, cardId: card.id, error: err instanceof Error ? err.message : String(err) });
  }
  return card;
}

/** Templates a till can issue on or a card stock can use (loyalty and stamp, not archived), for the settings' choices. */
export async function listTemplatesForTill(db: Db, merchantId: string) {
  return db
    .select({ id: cardTemplates.id, name: cardTemplates.name })
    .from(cardTemplates)
    .where(and(eq(cardTemplates.merchantId, merchantId), isNull(cardTemplates.archivedAt), inArray(cardTemplates.kind, ["loyalty", "stamp"])))
    .orderBy(asc(cardTemplates.name));
}
