import "server-only";
import type { Db } from "@/db";
import type { Card, TillSettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { EventContext } from "@/lib/card-events";
import { AppError } from "@/lib/errors";
import { postTransaction, type Posted } from "@/lib/ledger";
import type { Kind, LoyaltyProgram } from "@/lib/templates/definition";
import type { PostTransactionInput } from "@/lib/validations/ledger";
import { claimConfirmation, pendingUnderKey, startConfirmation, type PendingConfirmation } from "./confirm";
import { checkLimits, notifyLimitExceeded } from "./limits";

/** Who posts at a till: the merchant and actor, the till, the merchant's till rules, and whether they may skip a code. */
export type TillContext = EventContext & {
  till: { id: string; name: string; locationId?: string | null } | null;
  settings: TillSettings | null;
  timeZone: string;
  /** Staff permission "may complete without a code", or the key's `pos:skip_confirmation` scope. */
  maySkip: boolean;
  /** The end user's address where known (sms.ru's call asks for it). */
  ip?: string;
  locale?: string;
  /** For the code's SMS template ({merchant}). */
  merchantName?: string;
  /** For a gift certificate's amount in the code's SMS. */
  currency?: string;
};

export type TillPostInput = PostTransactionInput & {
  cardId: string;
  idempotencyKey: string | null;
  skipConfirmation?: { reason: string };
  /** Staff redeeming in the cabinet say why (kept on the transaction). */
  reason?: string;
};

export type TillOutcome = { posted: Posted; pending?: never } | { pending: PendingConfirmation; posted?: never };

/** Whether the programme ever asks for a code (then a till's key may be waiting for one). */
const confirmationsOn = (program: LoyaltyProgram | null) => !!program?.confirm && program.confirm.mode !== "off";

/** Spending that needs the customer's code under the programme's "confirm redemptions by a code". */
export function confirmationNeeded(program: LoyaltyProgram | null, redeemed: number): boolean {
  const rule = program?.confirm;
  if (!rule || redeemed <= 0) return false;
  return rule.mode === "on" || (rule.mode === "above" && redeemed > rule.above);
}

class NeedsConfirmation extends Error {
  constructor(
    readonly card: Card,
    readonly spend: { redeemed: number; kind?: Kind },
  ) {
    super("confirmation needed");
  }
}

const cashierOf = (ctx: EventContext) => (ctx.actor.type === "staff" ? ctx.actor.userId : null);

/**
 * A till's accrue, redeem or purchase: the ledger's write with the till recorded, the guard rails and
 * the confirmation rule checked under the card's lock (no query of their own unless a limit is set).
 * Spending that needs a code writes nothing and answers a pending confirmation instead;
 * `confirmedId` is a confirmation's id when its code was right (the transaction then takes that id).
 * `refusePending`: a surface that cannot ask for the code (the cabinet's card and certificate pages)
 * is refused instead of starting a confirmation, so no code is sent and nothing moves there.
 */
export async function postAtTill(
  db: Db,
  ctx: TillContext,
  input: TillPostInput,
  confirmedId?: string,
  options: { refusePending?: boolean } = {},
): Promise<TillOutcome> {
  const { skipConfirmation, ...request } = input;
  if (skipConfirmation && !ctx.maySkip) {
    throw new AppError("forbidden", "till.errors.skipNotAllowed", undefined, undefined, { scope: "pos:skip_confirmation" });
  }
  const tillId = ctx.till?.id ?? null;
  try {
    const posted = await postTransaction(db, ctx, request, {
      tillId,
      locationId: ctx.till?.locationId ?? null,
      id: confirmedId ?? null,
      check: async (tx, locked, spend) => {
        await checkLimits(
          tx,
          ctx.merchantId,
          ctx.settings,
          ctx.timeZone,
          locked.card.id,
          { tillId, cashierId: cashierOf(ctx), apiKeyId: ctx.actor.type === "api" ? ctx.actor.keyId : null },
          spend.redeemed,
        );
        if (confirmedId) return void (await claimConfirmation(tx, ctx.merchantId, confirmedId));
        // A key already waiting for a code stands for that request: another under it is the key's conflict.
        if (request.idempotencyKey && confirmationsOn(locked.program)) await pendingUnderKey(tx, ctx.merchantId, request);
        if (!confirmationNeeded(locked.program, spend.redeemed)) return;
        if (!skipConfirmation) throw new NeedsConfirmation(locked.card, { redeemed: spend.redeemed, kind: locked.kind });
        await recordAudit(
          tx,
          { merchantId: ctx.merchantId, userId: cashierOf(ctx) },
          {
            action: "ledger.confirmationSkipped",
            entityType: "card",
            entityId: locked.card.id,
            after: {
              number: locked.card.number,
              points: spend.redeemed,
              reason: skipConfirmation.reason,
              tillId,
              ...(ctx.actor.type === "api" && { apiKeyId: ctx.actor.keyId }),
            },
          },
        );
        return [{ type: "points.confirmation_skipped", cardId: locked.card.id, data: { points: spend.redeemed, reason: skipConfirmation.reason, tillId } }];
      },
    });
    return { posted };
  } catch (err) {
    if (err instanceof NeedsConfirmation) {
      if (options.refusePending) throw new AppError("conflict", "till.errors.confirmOnTill");
      return { pending: await startConfirmation(db, ctx, request, err.card, err.spend) };
    }
    if (err instanceof AppError && err.code === "limit_exceeded") await notifyLimitExceeded(db, ctx.merchantId, err, ctx.till);
    throw err;
  }
}
