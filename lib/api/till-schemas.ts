import { z } from "zod";

const timestamp = z.iso.datetime();

/** 202 of POST /cards/{id}/transactions when the programme wants the customer's code. */
export const apiPendingConfirmationSchema = z
  .object({
    id: z.uuid().meta({ description: "The pending transaction: confirm or cancel it by this id; once confirmed, the transaction has this id." }),
    status: z.literal("awaiting_confirmation"),
    confirmation: z.object({
      channel: z.enum(["sms", "call"]).meta({ description: "`sms`: a 6-digit code by SMS; `call`: a call whose number ends in the code (4 digits), 3 tries." }),
      expiresAt: timestamp,
      phoneMasked: z.string().nullable().meta({ description: "Where the code went: country code and the last two digits." }),
    }),
  })
  .meta({ description: "Nothing has moved yet: ask the customer for the code and send it to `/transactions/{id}/confirm`." });

export const apiCancelledSchema = z.object({ id: z.uuid(), status: z.literal("cancelled") });
