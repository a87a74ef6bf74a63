/** Example objects the OpenAPI document shows; each conforms to its schema (redocly lint checks it). */

export const exampleCustomer = {
  id: "3f6c1d2e-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
  phone: "+79165551234",
  email: "anna@example.com",
  name: "Anna Petrova",
  birthday: "1990-04-12",
  marketingConsent: {
    given: true,
    text: "I agree to receive news and offers by SMS. I can stop at any time with the link in each message.",
    at: "2026-11-01T09:00:00.000Z",
  },
  createdAt: "2026-11-01T09:00:00.000Z",
  updatedAt: "2026-11-20T15:30:00.000Z",
};

export const exampleCard = {
  id: "6a1e7c9d-2b3f-4e5a-8c7d-9e0f1a2b3c4d",
  serialNumber: "c2f0a6de-1f44-4c1b-9a57-6f0e3b7d2a11",
  number: "200000000017",
  status: "installed",
  templateId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
  customer: { id: exampleCustomer.id, phone: exampleCustomer.phone, email: exampleCustomer.email, name: exampleCustomer.name },
  values: { balance: 1000, discount: 5, custom: { tier: "gold" } },
  expiresAt: null,
  createdAt: "2026-11-01T09:00:00.000Z",
  updatedAt: "2026-11-29T12:30:00.000Z",
  links: {
    pass: "https://cards.example.org/c/Xk2p9Qe7/pass",
    google: "https://cards.example.org/c/Xk2p9Qe7/google",
    page: "https://cards.example.org/c/Xk2p9Qe7",
  },
};

export const exampleTemplate = {
  id: exampleCard.templateId,
  name: "Coffee club",
  kind: "loyalty",
  version: 3,
  archived: false,
  createdAt: "2026-10-01T08:00:00.000Z",
  updatedAt: "2026-11-15T10:00:00.000Z",
};

export const exampleEvents = {
  data: [
    {
      id: "evt_0b7e4f7e3c1a4d2b9f001234567890ab",
      type: "card.issued",
      timestamp: "2026-11-29T12:00:00.000Z",
      data: { cardId: exampleCard.id, card: exampleCard },
    },
    {
      id: "evt_5a1c9e3f7b2d4e6f8a0b1c2d3e4f5a6b",
      type: "points.accrued",
      timestamp: "2026-11-29T12:30:00.000Z",
      data: {
        cardId: exampleCard.id,
        balance: 1060,
        points: 60,
        transaction: {
          id: "0b8f2c4e-5d1a-4f0e-9b8a-3c2d1e0f9a8b",
          type: "accrue",
          status: "completed",
          cardId: exampleCard.id,
          points: 60,
          accrued: 60,
          redeemed: 0,
          balanceAfter: 1060,
          amount: null,
          shortfall: 0,
          reverses: null,
          receipt: "A-1029",
          locationId: null,
          reason: null,
          idempotencyKey: "till-3-receipt-A-1029",
          createdAt: "2026-11-29T12:30:00.000Z",
        },
      },
    },
  ],
  nextCursor: "WyI3NDIiLCIxMDQ0Il0",
};
