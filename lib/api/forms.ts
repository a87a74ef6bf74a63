import "server-only";
import { z } from "zod";
import type { FormSubmission, RegistrationForm, RegistrationSource } from "@/db/schema";
import { formDefinitionSchema } from "@/lib/forms/definition";
import { formLink } from "@/lib/forms/look";
import { pageParams } from "./schemas";

/** Registration forms as /api/v1/forms answers them (the queries live in lib/forms). */

export const listSubmissionsQuerySchema = z.object({ ...pageParams("Submissions") });

const timestamp = z.string().meta({ description: "ISO 8601, UTC." });

export const apiFormSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  templateId: z.uuid().meta({ description: "The template whose card the form issues." }),
  active: z.boolean().meta({ description: "Whether its links take registrations." }),
  version: z.int().meta({ description: "Advances with every change to the form." }),
  url: z.string().meta({ description: "The public page's address, to print or share." }),
  submissions: z.int().meta({ description: "How many times it has been filled in (returning customers included)." }),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const apiFormSourceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["group", "company"]).meta({ description: "`group`: a channel or campaign (flyer, partner, event); `company`: a corporate client." }),
  name: z.string(),
  tag: z.string().meta({ description: "The tag on every card it issues (empty: none)." }),
  url: z.string().meta({ description: "Its own link to the form." }),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  maxRegistrations: z.int().nullable().meta({ description: "Most cards it may issue (a company's employee cap); null: no cap." }),
  registrations: z.int().meta({ description: "Cards it has issued." }),
  welcomeBonus: z.int().meta({ description: "Points each new card gets." }),
  discount: z.int().nullable().meta({ description: "A company's starting discount in percent; null: the programme's own." }),
  levelFloor: z.int().nullable().meta({
    description:
      "A company's starting level, as the purchase total (minor units) where that level of the template's cumulative discount starts: its cards stand at least at the level this total earns, and purchases can take them higher. Null: none. A company has a starting `discount` or a starting level, not both.",
  }),
  active: z.boolean(),
});

export const apiFormDetailSchema = apiFormSchema.extend({
  definition: formDefinitionSchema.meta({
    description: "The fields asked, the consent boxes with their text versions, the page's look and the referral terms.",
  }),
  sources: z.array(apiFormSourceSchema).meta({ description: "Its registration groups and companies." }),
});

export const apiFormListSchema = z.object({ data: z.array(apiFormSchema) });

export const apiSubmissionSchema = z.object({
  id: z.uuid(),
  formVersion: z.int().meta({ description: "The form's version the answers were given to." }),
  customerId: z.uuid().nullable(),
  cardId: z.uuid().nullable().meta({ description: "The card it issued, or the returning customer's card it showed." }),
  sourceId: z.uuid().nullable().meta({ description: "The group or company whose link it came through; null: the form's own link." }),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).meta({
    description: "By field key, as the form defines them (the phone is the customer's, under `customerId`). Empty once the customer's data was erased.",
  }),
  createdAt: timestamp,
});

export const apiSubmissionListSchema = z.object({
  data: z.array(apiSubmissionSchema),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
});

export function presentForm(appUrl: string, form: RegistrationForm, submissions: number): z.infer<typeof apiFormSchema> {
  return {
    id: form.id,
    name: form.name,
    templateId: form.templateId,
    active: form.active,
    version: form.version,
    url: formLink(appUrl, form.token),
    submissions,
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}

export function presentFormSource(appUrl: string, source: RegistrationSource, registrations: number): z.infer<typeof apiFormSourceSchema> {
  return {
    id: source.id,
    kind: source.kind,
    name: source.name,
    tag: source.tag,
    url: formLink(appUrl, source.token),
    startsAt: source.startsAt?.toISOString() ?? null,
    endsAt: source.endsAt?.toISOString() ?? null,
    maxRegistrations: source.maxRegistrations,
    registrations,
    welcomeBonus: source.welcomeBonus,
    discount: source.discount,
    levelFloor: source.levelFloor,
    active: source.active,
  };
}

export function presentSubmission(row: FormSubmission): z.infer<typeof apiSubmissionSchema> {
  return {
    id: row.id,
    formVersion: row.formVersion,
    customerId: row.customerId,
    cardId: row.cardId,
    sourceId: row.sourceId,
    answers: row.answers,
    createdAt: row.createdAt.toISOString(),
  };
}
