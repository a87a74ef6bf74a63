import { z } from "zod";
import { requiredText } from "./common";

const digits = (error: string) =>
  z
    .string({ error })
    .trim()
    .regex(/^\d{4,8}$/, { error })
    .meta({ description: "The digits the customer received (an SMS code, or the last digits of the calling number)." });

export const confirmCodeSchema = z.object({ code: digits("till.errors.codeFormat") });
export const verifyPinSchema = z.object({ pin: digits("till.errors.codeFormat") });

export const TILL_NAME_MAX = 80;

export const tillFormSchema = z.object({
  name: requiredText(TILL_NAME_MAX),
  locationId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid({ error: "till.errors.location" }).optional()),
});
