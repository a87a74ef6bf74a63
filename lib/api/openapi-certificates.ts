import "server-only";
import type { z } from "zod";
import { type Json, type Helpers, DOC_COUNTRY, idempotencyKeyParameter, ok } from "./openapi-parts";
import { exampleCard } from "./openapi-examples";
import {
  apiCertificateDefinitionListSchema,
  apiCertificateListSchema,
  apiCertificateSchema,
  issueCertificateRequestSchema,
  listCertificatesQuerySchema,
} from "./certificate-schemas";

/** Gift certificates in the OpenAPI document (lib/api/openapi.ts puts it together). */

const exampleDefinition = {
  id: "9a1b3c5d-7e9f-4a1b-8c3d-5e7f9a1b3c5d",
  kind: "gift",
  name: "Gift certificate 1,000 ₽",
  templateId: "0b7e4c1a-9d2f-4a6b-8c3e-5f7a9b1c3d5e",
  nominal: 100000,
  product: null,
  partialRedemption: true,
  validUntil: null,
  validDays: 365,
  locationIds: [],
  freeCodes: 48,
  issued: 2,
  redeemed: 0,
  archived: false,
};
const exampleCoupon = {
  ...exampleDefinition,
  id: "4d6f8a0c-2e4a-4c6e-8a0c-2e4a6c8e0a2c",
  kind: "coupon",
  name: "−20% on any pizza",
  nominal: null,
  product: { en: "−20% on any pizza", ru: "−20% на любую пиццу" },
  partialRedemption: false,
  validDays: 30,
  freeCodes: 4980,
  issued: 20,
  redeemed: 7,
};
const exampleCertificate = {
  ...exampleCard,
  number: "K7RM4XQ9TA",
  values: { balance: 100000, discount: 0, custom: {} },
  certificate: { kind: "gift", definitionId: exampleDefinition.id, code: "K7RM4XQ9TA", message: "Happy birthday!", openedAt: null },
};

export const certificateInputSchemas: Record<string, z.ZodType> = {
  CertificateCreate: issueCertificateRequestSchema(DOC_COUNTRY),
};
export const certificateSchemas: Record<string, z.ZodType> = {
  Certificate: apiCertificateSchema,
  CertificateList: apiCertificateListSchema,
  CertificateDefinitionList: apiCertificateDefinitionListSchema,
};

export function certificatePaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  return {
    "/certificate-definitions": {
      get: operation({
        id: "listCertificateDefinitions",
        summary: "List gift-certificate definitions",
        description:
          "Every definition of the merchant, newest first, with its pool's counts: gift certificates (`kind: gift`) and promo-code coupons (`kind: coupon`, from the same pools). Read-only for now: definitions are made in the cabinet.",
        scope: "certificates:read",
        ok: ok("200", "The definitions.", "CertificateDefinitionList", { data: [exampleDefinition, exampleCoupon] }),
        errors: [],
      }),
    },
    "/certificates": {
      get: operation({
        id: "listCertificates",
        summary: "Find gift certificates and coupons",
        description:
          "Newest first, a page at a time. A certificate or coupon is a card (its `number` is its promo code) with the definition's facts in `certificate` (`kind` tells which).",
        scope: "certificates:read",
        parameters: queryParameters(listCertificatesQuerySchema(DOC_COUNTRY)),
        ok: ok("200", "A page of certificates.", "CertificateList", { data: [exampleCertificate], nextCursor: null }),
        errors: ["Validation"],
      }),
      post: operation({
        id: "issueCertificate",
        summary: "Issue a gift certificate or a coupon",
        description:
          'Takes the definition\'s next free code and issues a certificate (a card of the definition\'s gift template) to the phone, holding the nominal (or `amount`; a product certificate holds 1), valid as the definition says; records `certificate.issued`. The recipient gets an SMS with the certificate\'s link (the definition\'s text; send `sendSms: false` not to). A phone may hold several certificates. Redeem it with `POST /cards/{id}/transactions` `{ "type": "redeem", "points": <minor units> }` (`pos:write`). A **coupon** definition (`kind: coupon`) issues a coupon the same way: it holds 1 and is redeemed once, whole, with `{ "type": "redeem", "points": 1 }`; a second redemption is refused with 409 `coupon_used`. Send an `Idempotency-Key` header to retry safely.',
        scope: "certificates:write",
        parameters: [idempotencyKeyParameter],
        body: "CertificateCreate",
        bodyExamples: {
          example: { summary: "Issue and text the link", value: { definitionId: exampleDefinition.id, phone: "+79165551234", message: "Happy birthday!" } },
          silent: { summary: "Issue without an SMS", value: { definitionId: exampleDefinition.id, phone: "+79165551234", amount: 50000, sendSms: false } },
        },
        ok: ok("201", "The issued certificate.", "Certificate", exampleCertificate),
        errors: ["BadRequest", "NotFound", "NoFreeCodes", "Validation"],
      }),
    },
    "/certificates/{id}": {
      get: operation({
        id: "getCertificate",
        summary: "Get a gift certificate",
        scope: "certificates:read",
        parameters: [{ name: "id", in: "path", required: true, description: "The certificate's (card's) id.", schema: { type: "string", format: "uuid" } }],
        ok: ok("200", "The certificate, its code in full.", "Certificate", exampleCertificate),
        errors: ["NotFound"],
      }),
    },
  };
}
