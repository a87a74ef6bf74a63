import "server-only";
import type { z } from "zod";
import { reverseTransactionSchema } from "@/lib/validations/ledger";
import { confirmCodeSchema, verifyPinSchema } from "@/lib/validations/till";
import { tillPostSchema } from "./till";
import { apiAuthorizationSchema, apiCancelledSchema, apiPendingConfirmationSchema, authorizationDocSchema, posCardSchema } from "./till-schemas";
import {
  apiLookupSchema,
  apiTransactionListSchema,
  apiTransactionSchema,
  findTransactionQuerySchema,
  listTransactionsQuerySchema,
  lookupQuerySchema,
} from "./ledger-schemas";
import { type Json, type Helpers, ref, DOC_COUNTRY } from "./openapi-parts";
import { exampleCard } from "./openapi-examples";

/** The POS API's part of the OpenAPI document (lib/api/openapi.ts puts it together). */

const cardId = { name: "id", in: "path", required: true, description: "The card's id.", schema: { type: "string", format: "uuid" } };
const transactionId = { name: "id", in: "path", required: true, description: "The transaction's id.", schema: { type: "string", format: "uuid" } };
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description:
    "Required: up to 255 printable ASCII characters, unique per operation. Kept with the transaction for good: the same key with the same body answers the transaction as it is now (`Idempotent-Replayed: true`) and moves nothing, even days later; with another body it is a `conflict`. A till that lost an answer can also ask `GET /transactions?idempotencyKey=`.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

const exampleTransaction = {
  id: "0b8f2c4e-5d1a-4f0e-9b8a-3c2d1e0f9a8b",
  type: "purchase",
  status: "completed",
  cardId: "6a1e7c9d-2b3f-4e5a-8c7d-9e0f1a2b3c4d",
  points: -240,
  accrued: 60,
  redeemed: 300,
  balanceAfter: 760,
  amount: 150000,
  shortfall: 0,
  reverses: null,
  receipt: "A-1029",
  locationId: null,
  tillId: "3f0c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  reason: null,
  idempotencyKey: "till-3-receipt-A-1029",
  createdAt: "2026-11-29T12:30:00.000Z",
};

const transactionOk = (status: string, description: string, example: Json = exampleTransaction): [string, Json] => [
  status,
  { description, content: { "application/json": { schema: ref("Transaction"), example } } },
];

export const ledgerInputSchemas: Record<string, z.ZodType> = {
  TransactionCreate: tillPostSchema,
  TransactionReverse: reverseTransactionSchema,
  TransactionConfirm: confirmCodeSchema,
  AuthorizationCreate: authorizationDocSchema(DOC_COUNTRY),
  AuthorizationVerify: verifyPinSchema,
  PosCardCreate: posCardSchema(DOC_COUNTRY),
};
export const ledgerSchemas: Record<string, z.ZodType> = {
  Transaction: apiTransactionSchema,
  PendingConfirmation: apiPendingConfirmationSchema,
  Cancelled: apiCancelledSchema,
  Authorization: apiAuthorizationSchema,
  TransactionList: apiTransactionListSchema,
  Lookup: apiLookupSchema,
};

export function ledgerPaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  return {
    "/pos/lookup": {
      get: operation({
        id: "posLookup",
        summary: "Look a card up at the till",
        description:
          "By `code` (what the till scanned or typed: the barcode's value or the card number) or by `phone` (loyalty and stamp cards). With `amount`, `redeemable.maxPoints` honours the programme's share-of-receipt cap.",
        scope: "pos:write",
        parameters: queryParameters(lookupQuerySchema(DOC_COUNTRY)),
        ok: [
          "200",
          {
            description: "The card, its holder (phone masked), balance and what may be redeemed.",
            content: {
              "application/json": {
                schema: ref("Lookup"),
                example: {
                  card: { ...exampleCard, customer: { id: exampleCard.customer.id, name: exampleCard.customer.name } },
                  holder: { name: "Anna Petrova", phoneMasked: "+7********01" },
                  balance: 1000,
                  level: { name: "Silver", discountPercent: 5, earnPercent: 3, nextLevelIn: 2_550_000 },
                  discountPercent: 5,
                  redeemable: { maxPoints: 1000 },
                  stamps: null,
                  expiring: [
                    { points: 300, at: "2026-12-31T21:00:00.000Z" },
                    { points: 150, at: "2027-03-01T09:30:00.000Z" },
                  ],
                },
              },
            },
          },
        ],
        errors: ["CardNotFound", "LookupConflict", "LookupValidation", "PinRequired", "QrOutdated"],
      }),
    },
    "/pos/authorizations": {
      post: operation({
        id: "posAuthorize",
        summary: "Send a one-time PIN to the card holder's phone",
        description:
          "For finding a card by phone when the customer proves the phone (needed when the merchant turned off \"find cards by phone without a PIN\"), or by the card's number when the customer's rotating QR is out of date (a phone that stayed offline: `GET /pos/lookup` answered `qr_expired`, or refused the plain number with `qr_required`): the PIN then goes to the card holder's phone. Exactly one of `phone` and `number`. The answer is the same whether or not the phone holds a card (or a card has that number: another merchant's card is no card), and so is the time it takes: the SMS with the PIN is sent in the background within seconds, and nothing is sent when there is no card. At most 5 PINs per phone, and per card number, an hour; PINs asked by number count towards the holder's phone too.",
        scope: "pos:write",
        body: "AuthorizationCreate",
        bodyExamples: {
          phone: { summary: "A phone", value: { phone: "+7 912 345-67-01" } },
          number: { summary: "A card number, as printed or shown", value: { number: "2000 1234 5678 9" } },
        },
        ok: [
          "201",
          {
            description: "The PIN was sent if the phone holds a card, or to the holder of the card with that number.",
            content: {
              "application/json": {
                schema: ref("Authorization"),
                example: { id: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", phoneMasked: "+7********01", expiresAt: "2026-11-29T12:35:00.000Z" },
              },
            },
          },
        ],
        errors: ["BadRequest", "Validation", "PinLimited"],
      }),
    },
    "/pos/authorizations/{id}/verify": {
      post: operation({
        id: "posAuthorizeVerify",
        summary: "Verify the PIN and read the card",
        description:
          "The right PIN (once, within 5 minutes, 5 tries) answers what `GET /pos/lookup?phone=` answers, or, asked by number, the lookup of that card. A PIN verified before it was sent (the SMS is sent a moment after `POST /pos/authorizations`) is a wrong PIN (422 `code_invalid`) that uses no try.",
        scope: "pos:write",
        parameters: [{ name: "id", in: "path", required: true, description: "The authorization's id.", schema: { type: "string", format: "uuid" } }],
        body: "AuthorizationVerify",
        bodyExamples: { pin: { summary: "The PIN", value: { pin: "123456" } } },
        ok: ["200", { description: "The card, as the lookup answers it.", content: { "application/json": { schema: ref("Lookup") } } }],
        errors: ["BadRequest", "NotFound", "LookupConflict", "CodeInvalid", "CodeExpired"],
      }),
    },
    "/pos/cards": {
      post: operation({
        id: "posIssueCard",
        summary: "Issue a card at the counter, or activate a pre-printed one",
        description:
          "Without `number`: a new card on the till template (Settings → Tills; by default the first active loyalty template). With `number`: the pre-printed card of the merchant's card stock, with the range's template, starting balance and discount. The card's link goes to the phone by SMS.",
        scope: "pos:write",
        body: "PosCardCreate",
        bodyExamples: {
          issue: { summary: "A new card", value: { phone: "+7 912 345-67-01", name: "Anna Petrova", birthday: "1990-05-01" } },
          activate: { summary: "Activate a pre-printed card", value: { phone: "+7 912 345-67-01", number: "PP000120" } },
        },
        ok: ["201", { description: "The card.", content: { "application/json": { schema: ref("Card") } } }],
        errors: ["BadRequest", "CardNumberConflict", "CardNumberUnknown"],
      }),
    },
    "/cards/{id}/transactions": {
      get: operation({
        id: "listCardTransactions",
        summary: "A card's point transactions",
        description: "Newest first, a page at a time.",
        scope: "ledger:read",
        parameters: [cardId, ...queryParameters(listTransactionsQuerySchema)],
        ok: ["200", { description: "A page of transactions.", content: { "application/json": { schema: ref("TransactionList") } } }],
        errors: ["NotFound", "Validation"],
      }),
      post: operation({
        id: "postTransaction",
        summary: "Accrue, redeem or take a purchase",
        description:
          "`purchase` redeems the chosen points (capped by the programme: share of the receipt, minimum balance) and accrues on the part paid with money, in one transaction. Blocked and expired cards are refused. The balance never goes below zero, whatever runs at once.\n\nOn a **stamp card** the unit is the stamp: `accrue` adds stamps, `purchase` adds one stamp per visit (or when `amount` reaches the programme's minimum), and a reward is redeemed like points — `redeem` (or `redeemPoints`) spends the reward's stamps, so `points` must be a whole number of rewards (a multiple of the goal the lookup shows in `stamps.goal`; otherwise 422 with `error.data.goal`).\n\nA **gift certificate** (found by its code with `GET /pos/lookup?code=`) is redeemed in minor units of money with `redeem` (a product certificate: `points: 1`). It is taken only at its definition's points of sale (none listed: everywhere): where the till's own point of sale or the request's `locationId` is not among them, 409 `location_not_accepted`. A promo-code **coupon** is redeemed once, whole, with `points: 1`; a second redemption is 409 `coupon_used` (when it was used in `error.data.usedAt`).",
        scope: "pos:write",
        parameters: [cardId, idempotencyKey],
        body: "TransactionCreate",
        bodyExamples: {
          accrue: { summary: "Accrue points", value: { type: "accrue", points: 100, receipt: "A-1029" } },
          redeem: { summary: "Redeem points", value: { type: "redeem", points: 100 } },
          purchase: { summary: "A receipt paid partly with points", value: { type: "purchase", amount: 150000, redeemPoints: 300, receipt: "A-1029" } },
          certificate: {
            summary: "Redeem 500.00 from a gift certificate at a point of sale",
            value: { type: "redeem", points: 50000, locationId: "5e7f9a1b-3c5d-4e7f-9a1b-3c5d7e9f1a2b" },
          },
          stampReward: { summary: "A stamp card: take one reward (goal 10)", value: { type: "redeem", points: 10, receipt: "A-1030" } },
          skip: {
            summary: "Redeem without the customer's code (pos:skip_confirmation)",
            value: { type: "redeem", points: 500, skipConfirmation: { reason: "The customer's phone is out of battery" } },
          },
        },
        ok: transactionOk("201", "The transaction (or, for a repeated key and body, the one made before)."),
        alsoOk: [
          [
            "202",
            {
              description:
                "The programme wants the customer's code before these points are spent: a code was sent and nothing moved. Confirm with `/transactions/{id}/confirm`, or cancel. The same key and body again answer the same pending one without sending another code.",
              content: {
                "application/json": {
                  schema: ref("PendingConfirmation"),
                  example: {
                    id: "0b8f2c4e-5d1a-4f0e-9b8a-3c2d1e0f9a8b",
                    status: "awaiting_confirmation",
                    confirmation: { channel: "sms", expiresAt: "2026-11-29T12:35:00.000Z", phoneMasked: "+7********01" },
                  },
                },
              },
            },
          ],
        ],
        errors: ["BadRequest", "NotFound", "TransactionConflict", "LedgerValidation"],
      }),
    },
    "/transactions": {
      get: operation({
        id: "findTransaction",
        summary: "Find a transaction by its Idempotency-Key",
        description: "For a till that lost an answer. `pos:write` also allows this.",
        scope: "ledger:read",
        parameters: queryParameters(findTransactionQuerySchema),
        ok: transactionOk("200", "The transaction."),
        errors: ["NotFound", "Validation"],
      }),
    },
    "/transactions/{id}": {
      get: operation({
        id: "getTransaction",
        summary: "Get a transaction",
        description: "`pos:write` also allows this.",
        scope: "ledger:read",
        parameters: [transactionId],
        ok: transactionOk("200", "The transaction."),
        errors: ["NotFound"],
      }),
    },
    "/transactions/{id}/confirm": {
      post: operation({
        id: "confirmTransaction",
        summary: "Complete a transaction with the customer's code",
        description:
          "The code the customer received (SMS: 6 digits, 5 tries; call: the calling number's last 4 digits, 3 tries), within 5 minutes. The balance and the programme's rules are checked again now; the completed transaction keeps the pending one's id. Confirming a completed one answers it again.",
        scope: "pos:write",
        parameters: [transactionId],
        body: "TransactionConfirm",
        bodyExamples: { code: { summary: "The code", value: { code: "123456" } } },
        ok: transactionOk("200", "The completed transaction."),
        errors: ["NotFound", "TransactionConflict", "CodeInvalid", "CodeExpired", "BadRequest"],
      }),
    },
    "/transactions/{id}/cancel": {
      post: operation({
        id: "cancelTransaction",
        summary: "Drop a transaction awaiting the customer's code",
        description: "Nothing had moved, and nothing will. A pending one never confirmed also ends by itself after 5 minutes.",
        scope: "pos:write",
        parameters: [transactionId],
        ok: [
          "200",
          {
            description: "Cancelled.",
            content: { "application/json": { schema: ref("Cancelled"), example: { id: exampleTransaction.id, status: "cancelled" } } },
          },
        ],
        errors: ["NotFound", "Conflict"],
      }),
    },
    "/transactions/{id}/reverse": {
      post: operation({
        id: "reverseTransaction",
        summary: "Reverse a transaction in full or in part",
        description:
          "Accruals, redemptions and adjustments by `points`; a purchase by the money refunded (`amount`), taking back the accrued points and returning the redeemed ones in proportion (rounded in the customer's favour). Never beyond what the transaction moved across all its reversals. Points already spent cannot be taken back: the answer's `shortfall` says how many. No body reverses all that is left.",
        scope: "pos:write",
        parameters: [transactionId, idempotencyKey],
        body: "TransactionReverse",
        bodyExamples: {
          refund: { summary: "Refund part of a purchase", value: { amount: 50000, reason: "returned one item" } },
          points: { summary: "Reverse part of an accrual", value: { points: 30 } },
        },
        ok: transactionOk("201", "The reversal.", {
          ...exampleTransaction,
          type: "reversal",
          points: 80,
          accrued: 100,
          redeemed: 20,
          balanceAfter: 840,
          amount: 50000,
          reverses: exampleTransaction.id,
          reason: "returned one item",
          idempotencyKey: "till-3-refund-7",
        }),
        errors: ["BadRequest", "NotFound", "ReverseConflict", "Validation"],
      }),
    },
  };
}
