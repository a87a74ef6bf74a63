import "server-only";
import type { z } from "zod";
import { apiFormDetailSchema, apiFormListSchema, apiSubmissionListSchema, listSubmissionsQuerySchema } from "./forms";
import { type Json, type Helpers, ok } from "./openapi-parts";

/** Registration forms in the OpenAPI document (lib/api/openapi.ts puts it together). */

const formId = { name: "id", in: "path", required: true, description: "The form's id.", schema: { type: "string", format: "uuid" } };

const exampleForm = {
  id: "3f1c5a7e-9b2d-4e6f-8a0c-2d4f6b8a0c1e",
  name: "Coffee club",
  templateId: "9e6b3f0d-8a1c-4d5e-9f2b-4c6d8e0f2a4b",
  active: true,
  version: 3,
  url: "https://app.example.com/f/Vb0Q1s2x3y4z5A6B7C8D9E",
  submissions: 128,
  createdAt: "2026-11-01T09:00:00.000Z",
  updatedAt: "2026-11-20T15:30:00.000Z",
};

const exampleDetail = {
  ...exampleForm,
  definition: {
    title: { en: "Join the coffee club", ru: "Вступайте в кофейный клуб" },
    benefits: { en: "Every 6th coffee free", ru: "Каждый 6-й кофе бесплатно" },
    fields: [{ key: "f_name", type: "name", required: true, label: { en: "Name", ru: "Имя" } }],
    consents: [
      { key: "c_terms", text: { en: "I agree to the programme's terms", ru: "Согласен с правилами программы" }, version: 1, required: true, marketing: false },
    ],
    referral: { inviterBonus: 100, friendBonus: 50, on: "installed" },
  },
  sources: [
    {
      id: "7a9c1e3f-5b7d-4f0a-8c2e-4a6c8e0a2c4e",
      kind: "company",
      name: "Acme Ltd",
      tag: "acme",
      url: "https://app.example.com/f/Kq7W2e3r4t5y6u7i8o9p0A",
      startsAt: null,
      endsAt: null,
      maxRegistrations: 50,
      registrations: 12,
      welcomeBonus: 200,
      discount: 10,
      levelFloor: null,
      active: true,
    },
  ],
};

const exampleSubmission = {
  id: "1b3d5f7a-9c1e-4a3c-8e5a-7c9e1a3c5e7a",
  formVersion: 3,
  customerId: "2c4e6a8c-0e2a-4c4e-9a6c-8e0a2c4e6a8c",
  cardId: "4e6a8c0e-2a4c-4e6a-8c0e-2a4c6e8a0c2e",
  sourceId: null,
  answers: { f_name: "Olga" },
  createdAt: "2026-11-29T12:00:00.000Z",
};

export const formSchemas: Record<string, z.ZodType> = {
  FormList: apiFormListSchema,
  FormDetail: apiFormDetailSchema,
  FormSubmissionList: apiSubmissionListSchema,
};

export function formPaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  return {
    "/forms": {
      get: operation({
        id: "listForms",
        summary: "List registration forms",
        description: "Every registration form of the merchant, newest first, with its public link and how many times it has been filled in.",
        scope: "forms:read",
        ok: ok("200", "The forms.", "FormList", { data: [exampleForm] }),
        errors: [],
      }),
    },
    "/forms/{id}": {
      get: operation({
        id: "getForm",
        summary: "Get a registration form",
        description:
          "The form's fields, consent boxes (each with its text version), referral terms, and its registration groups and companies with their links.",
        scope: "forms:read",
        parameters: [formId],
        ok: ok("200", "The form.", "FormDetail", exampleDetail),
        errors: ["NotFound"],
      }),
    },
    "/forms/{id}/submissions": {
      get: operation({
        id: "listFormSubmissions",
        summary: "List a form's submitted answers",
        description:
          "Each time the form was filled in (a returning customer's too), newest first: the answers by field key, the customer and card, and the group or company link it came through. An erased customer's answers are empty.",
        scope: "forms:read",
        parameters: [formId, ...queryParameters(listSubmissionsQuerySchema)],
        ok: ok("200", "A page of submissions.", "FormSubmissionList", { data: [exampleSubmission], nextCursor: null }),
        errors: ["NotFound", "Validation"],
      }),
    },
  };
}
