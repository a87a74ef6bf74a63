import "server-only";
import { deleteCard, getCardOrThrow, moveCard, transitionCard } from "@/lib/cards";
import { queueCardMessage } from "@/lib/cards/send";
import { AppError, NotFoundError } from "@/lib/errors";
import { dispatchOutbox } from "@/lib/outbox";
import { isUuid } from "@/lib/validations/common";
import { inApiFieldPaths, loadApiCard } from "./cards";
import { idempotent } from "./idempotency";
import { moveCardRequestSchema, sendCardRequestSchema } from "./rest-schemas";
import { readJson, withApiKey } from "./with-api-key";

type Params = { id: string };

const SEND_REFUSAL = { blocked: "cards.send.errors.blocked", noPhone: "cards.send.errors.noPhone", noEmail: "cards.send.errors.noEmail" } as const;

/**
 * The card actions' route handlers (block, unblock, move, send): each reads its body, checks the card is
 * the merchant's (404 otherwise, before anything is kept under an `Idempotency-Key`), and runs the
 * card service of lib/cards the cabinet uses, inside `idempotent`, so a retry with the same key gets the
 * first answer. Block and unblock refuse a card already so (409 `conflict`), as the cabinet does.
 */
export function cardAction(action: "block" | "unblock" | "move" | "send") {
  return withApiKey<Params>("cards:write", async ({ db, merchantId, actor }, request, { id }) => {
    const body = action === "move" || action === "send" ? await readJson(request) : { text: "", value: undefined };
    if (!isUuid(id)) throw new NotFoundError();
    await getCardOrThrow(db, merchantId, id);
    if (action === "send") {
      const { channel, locale } = sendCardRequestSchema.parse(body.value);
      const response = await idempotent(db, merchantId, request, body.text, async (tx) => {
        const outcome = await queueCardMessage(tx, merchantId, actor, id, channel, locale);
        if ("skipped" in outcome) throw new AppError("validation", SEND_REFUSAL[outcome.skipped]);
        return { status: 202, body: { channel, messageId: outcome.outboxId } };
      });
      // After commit; a replay dispatches again, which is harmless: sending claims the message first.
      if (response.status === 202) await dispatchOutbox([((await response.clone().json()) as { messageId: string }).messageId]);
      return response;
    }
    const input = action === "move" ? moveCardRequestSchema.parse(body.value) : null;
    return idempotent(db, merchantId, request, body.text, async (tx) => {
      if (input) await moveCard(tx, merchantId, actor, id, input.templateId).catch(inApiFieldPaths);
      else await transitionCard(tx, merchantId, actor, id, action as "block" | "unblock");
      return { status: 200, body: await loadApiCard(tx, merchantId, id) };
    });
  });
}

/** DELETE /cards/{id}: the card goes for good, its events stay (`card.deleted`). */
export const deleteCardHandler = withApiKey<Params>("cards:write", async ({ db, merchantId, actor }, request, { id }) => {
  if (!isUuid(id)) throw new NotFoundError();
  return idempotent(db, merchantId, request, "", async (tx) => {
    await deleteCard(tx, merchantId, actor, id);
    return { status: 200, body: { id, deleted: true } };
  });
});
