import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { toErrorResponse } from "@/lib/api/errors";
import { createApiKey } from "@/lib/api-keys";
import type { StaffContext } from "@/lib/auth/session";
import { issueCard, listCards } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { cardFiltersFromQuery } from "@/lib/cards/filters";
import { getCardImportOrThrow, previewCardImport } from "@/lib/cards/import";
import { createLocation, listLocations } from "@/lib/locations";
import { listMerchantMessages } from "@/lib/messaging/messages";
import { queueMessage } from "@/lib/outbox";
import { getAppleSigner } from "@/lib/passes/apple/signer";
import { createTemplate } from "@/lib/templates";
import { issueCardSchema } from "@/lib/validations/cards";
import { listLocationsQuerySchema, locationSchema } from "@/lib/validations/locations";
import { listMessagesQuerySchema } from "@/lib/validations/messaging";
import { answerLatestPass, answerSerials } from "@/lib/wallet/answers";
import { findPassIdentity } from "@/lib/wallet/service";
import { createTestMerchant, uniquePhone } from "../factories";

/**
 * NUL and the other control characters at every door: the REST API's fields and parameters, the
 * cabinet's searches and forms, the PassKit web service's paths. PostgreSQL refuses NUL in text, so
 * anything that reaches it was a 500; the answer must be a 4xx with the field named, or no match.
 */

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const cardsRoute = await import("@/app/api/v1/cards/route");
const cardRoute = await import("@/app/api/v1/cards/[id]/route");
const cardPassRoute = await import("@/app/api/v1/cards/[id]/pass/route");
const templatesRoute = await import("@/app/api/v1/templates/route");
const walletRegistration = await import("@/app/api/wallet/v1/devices/[deviceLibraryIdentifier]/registrations/[passTypeIdentifier]/[serialNumber]/route");
const walletList = await import("@/app/api/wallet/v1/devices/[deviceLibraryIdentifier]/registrations/[passTypeIdentifier]/route");
const walletPass = await import("@/app/api/wallet/v1/passes/[passTypeIdentifier]/[serialNumber]/route");
const locationActions = await import("@/app/(cabinet)/locations/actions");
const cardActions = await import("@/app/(cabinet)/cards/actions");
const apiKeyActions = await import("@/app/(cabinet)/settings/api-keys/actions");
const customerActions = await import("@/app/(public)/my/actions");

/** Strings a client might send, each with a control character that survives trimming. */
const NASTY = ["\u0000", "nul\u0000byte", "AB\u0000CD", "a\u0001b", "a\u001fb", "a\u007fb", "a\nb", "a\r\nb", "tab\there", "\u001b[31mred"];

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;
let m: Merchant;
let key: string;
let templateId: string;
let card: Awaited<ReturnType<typeof issueCard>>;
let passTypeId: string;

beforeAll(async () => {
  const db = getDb();
  m = await createTestMerchant();
  templateId = (await createTemplate(db, m.actor, { name: "Loyalty", kind: "loyalty" })).id;
  ({ key } = await createApiKey(db, m.actor, { name: "All", scopes: ["*"] }));
  card = await issueCard(
    db,
    m.merchant.id,
    staffActor(m.owner.id),
    issueCardSchema("RU").parse({ templateId, customer: { phone: uniquePhone(), name: "Anna Shop" } }),
  );
  ({ passTypeId } = await getAppleSigner(db, m.merchant.id));
});

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
async function call(
  route: Route,
  { method = "GET", url = "http://localhost/api/v1/x", params = {}, body }: { method?: string; url?: string; params?: Record<string, string>; body?: unknown },
) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await route(new Request(url, init), { params: Promise.resolve(params as never) });
  const json = response.headers.get("content-type")?.includes("json")
    ? ((await response.json()) as { error?: { code: string; details?: { path: string }[] } })
    : null;
  return { status: response.status, json };
}

/** `path` set to `value` inside a copy of `body`. */
function put(body: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split(".");
  let at = copy;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

describe("REST API: every field and parameter refuses control characters with a field error, never a 500", () => {
  const newCard = () => ({
    templateId,
    customer: { phone: uniquePhone(), email: "a@example.com", name: "Holder", birthday: "1990-01-01" },
    values: { balance: 1, discount: 2 },
    expiresAt: "2099-01-01",
  });
  const bodyFields = {
    "POST /cards": {
      route: () => cardsRoute.POST,
      method: "POST",
      base: newCard,
      fields: [
        "templateId",
        "customer.phone",
        "customer.email",
        "customer.name",
        "customer.birthday",
        "values.balance",
        "values.discount",
        "values.custom.tier",
        "expiresAt",
        "number",
      ],
    },
    "PATCH /cards/{id}": {
      route: () => cardRoute.PATCH,
      method: "PATCH",
      base: () => ({ values: { balance: 3 } }),
      fields: ["values.balance", "values.discount", "values.custom.tier", "expiresAt", "status"],
    },
  } as const;

  for (const [name, spec] of Object.entries(bodyFields)) {
    for (const field of spec.fields) {
      it(`${name}: ${field}`, async () => {
        for (const nasty of NASTY) {
          const r = await call(spec.route() as Route, { method: spec.method, params: { id: card.id }, body: put(spec.base(), field, nasty) });
          expect(r.status, `${JSON.stringify(nasty)} in ${field}`).toBe(422);
          expect(
            r.json?.error?.details?.map((d) => d.path),
            `${JSON.stringify(nasty)} in ${field}`,
          ).toContain(field);
        }
      });
    }
  }

  it("POST /cards: a custom value's key", async () => {
    for (const nasty of NASTY) {
      const r = await call(cardsRoute.POST as Route, { method: "POST", body: { ...newCard(), values: { custom: { [nasty]: "gold" } } } });
      expect(r.status, JSON.stringify(nasty)).toBe(422);
    }
  });

  const queryFields = {
    "GET /cards": { route: () => cardsRoute.GET, path: "/api/v1/cards", params: ["phone", "number", "template", "status", "cursor", "limit"] },
    "GET /templates": { route: () => templatesRoute.GET, path: "/api/v1/templates", params: ["archived"] },
  } as const;
  for (const [name, spec] of Object.entries(queryFields)) {
    for (const param of spec.params) {
      it(`${name}?${param}=`, async () => {
        for (const nasty of NASTY) {
          const url = new URL(`http://localhost${spec.path}`);
          url.searchParams.set(param, nasty);
          const r = await call(spec.route() as Route, { url: url.href });
          expect(r.status, `${url.search}`).toBe(422);
          expect(r.json?.error?.details?.map((d) => d.path)).toContain(param);
        }
      });
    }
  }

  it("?number=AB%00CD is answered 422 with the field named, as the issue reported", async () => {
    const r = await call(cardsRoute.GET as Route, { url: "http://localhost/api/v1/cards?number=AB%00CD" });
    expect(r).toMatchObject({
      status: 422,
      json: { error: { code: "validation", details: [{ path: "number", message: "Remove the control characters (such as NUL) from this text." }] } },
    });
  });

  it.each([
    ["GET /cards/{id}", () => cardRoute.GET, "GET"],
    ["PATCH /cards/{id}", () => cardRoute.PATCH, "PATCH"],
    ["GET /cards/{id}/pass", () => cardPassRoute.GET, "GET"],
  ])("%s with %00 in the id is not found", async (_name, route, method) => {
    for (const id of [`${card.id}\u0000`, "\u0000", "a\r\nb"]) {
      const r = await call(route() as Route, { method, params: { id }, body: method === "PATCH" ? { values: { balance: 1 } } : undefined });
      expect(r.status).toBe(404);
    }
  });

  it("the API wrapper answers 400, not 500, when PostgreSQL itself refuses a text (the net under the boundary checks)", async () => {
    for (const query of [sql`select ${"a\u0000b"}::text`, sql`select ${'{"a":"\\u0000"}'}::jsonb->>'a'`]) {
      const err = await getDb()
        .execute(query)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).not.toBeNull();
      const response = await toErrorResponse(err, new Request("http://localhost/api/v1/cards"));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "bad_request", message: "The request holds text that cannot be stored (a NUL or another control character)." },
      });
    }
  });
});

describe("cabinet searches drop control characters", () => {
  it("cards: q with NUL finds what the rest of the text finds", async () => {
    const search = (q: string) => listCards(getDb(), m.merchant.id, cardFiltersFromQuery({ q }, "RU"), { page: 1, pageSize: 10 });
    expect((await search("Anna\u0000 Shop")).rows.map((r) => r.card.id)).toEqual([card.id]);
    for (const q of NASTY) await expect(search(q)).resolves.toBeDefined();
    expect((await search("\u0000")).total).toBeGreaterThanOrEqual(1);
  });

  it("messages: q with NUL", async () => {
    const recipient = `nul-${Date.now()}@example.com`;
    await queueMessage(getDb(), { merchantId: m.merchant.id, channel: "email", kind: "card", recipient, subject: "Card", body: "Here" });
    const search = (q: string) => listMerchantMessages(getDb(), m.merchant.id, listMessagesQuerySchema.parse({ q }), { page: 1 });
    expect((await search(`nul-\u0000${recipient.slice(4)}`)).rows.map((r) => r.recipient)).toEqual([recipient]);
    for (const q of NASTY) await expect(search(q)).resolves.toBeDefined();
  });

  it("locations: q with NUL, and a repeated q", async () => {
    await createLocation(getDb(), m.actor, locationSchema.parse({ name: "Main Shop", address: "", latitude: "55.7", longitude: "37.6", nearbyText: "" }));
    const search = (q: unknown) => listLocations(getDb(), m.merchant.id, { page: 1, pageSize: 10, search: listLocationsQuerySchema.parse({ q }).q });
    expect((await search("Main\u0000 Shop")).rows.map((r) => r.name)).toEqual(["Main Shop"]);
    for (const q of [...NASTY, ["a", "b"]]) await expect(search(q)).resolves.toBeDefined();
  });
});

describe("cabinet and customer forms answer a field error", () => {
  const form = (values: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(values)) fd.set(k, v);
    return fd;
  };
  const as = (): StaffContext => ({ userId: m.owner.id, merchantId: m.merchant.id, role: "owner", merchant: m.merchant, user: m.owner });
  const refused = (field: string) => ({ ok: false, code: "validation", fieldErrors: expect.objectContaining({ [field]: "validation.controlChars" }) });

  it("a location name, a card holder's name, an API key's name", async () => {
    signedIn = as();
    expect(
      await locationActions.createLocationAction(null, form({ name: "nul\u0000byte", address: "", latitude: "55", longitude: "37", nearbyText: "" })),
    ).toMatchObject(refused("name"));
    expect(await cardActions.issueCardAction(null, form({ templateId, "customer.phone": uniquePhone(), "customer.name": "nul\u0000byte" }))).toMatchObject(
      refused("customer.name"),
    );
    expect(await apiKeyActions.createApiKeyAction(null, form({ name: "nul\u0000byte", "scope.cards:read": "on" }))).toMatchObject(refused("name"));
  });

  it("customer sign-out with CR/LF in the merchant field is refused before any redirect", async () => {
    expect(await customerActions.customerSignOutAction(null, form({ merchant: "shop\r\nSet-Cookie: x=1" }))).toMatchObject(refused("merchant"));
  });
});

describe("CSV import", () => {
  it("a cell with NUL is an error of its line; a NUL in a header or the file name is dropped, so the import is stored", async () => {
    const text = ["phone,na\u0000me,level", `${uniquePhone()},nul\u0000byte,`, `${uniquePhone()},Fine,`].join("\n");
    const outcome = await previewCardImport(getDb(), m.actor, { templateId, fileName: "cards\u0000.csv", text, skipExisting: false });
    expect(outcome.ok).toBe(true);
    const stored = await getCardImportOrThrow(getDb(), m.merchant.id, (outcome as { importId: string }).importId);
    expect(stored).toMatchObject({
      fileName: "cards.csv",
      total: 2,
      valid: 1,
      errorCount: 1,
      errors: [{ line: 2, column: "name", message: "validation.controlChars" }],
    });
  });
});

describe("PassKit web service: %00 in a path is not found", () => {
  const base = "http://localhost/api/wallet/v1";
  const auth = () => ({ authorization: `ApplePass ${card.authenticationToken}`, "content-type": "application/json" });
  const bad = (good: string) => [`${good}\u0000`, "\u0000", `${good}\r\n`];

  it("GET the latest pass, through the route and through the answers the fast path sends", async () => {
    for (const serial of bad(card.serialNumber)) {
      const params = { passTypeIdentifier: passTypeId, serialNumber: serial };
      expect((await walletPass.GET(new Request(`${base}/passes/x/y`, { headers: auth() }), { params: Promise.resolve(params) })).status).toBe(404);
      expect((await answerLatestPass(getDb(), passTypeId, serial, auth().authorization, null)).status).toBe(404);
    }
    for (const type of bad(passTypeId)) expect((await answerLatestPass(getDb(), type, card.serialNumber, auth().authorization, null)).status).toBe(404);
    // The right pass is still served.
    expect((await answerLatestPass(getDb(), passTypeId, card.serialNumber, auth().authorization, null)).status).toBe(200);
  });

  it("GET a device's serials", async () => {
    for (const device of bad("device1")) {
      const params = { deviceLibraryIdentifier: device, passTypeIdentifier: passTypeId };
      expect((await walletList.GET(new Request(`${base}/devices/x/registrations/y`), { params: Promise.resolve(params) })).status).toBe(404);
      expect((await answerSerials(getDb(), device, passTypeId, null)).status).toBe(404);
      expect((await answerSerials(getDb(), "device1", device, "1")).status).toBe(404);
    }
  });

  it("register and unregister a device", async () => {
    for (const [device, serial] of [...bad("device1").map((d) => [d, card.serialNumber]), ...bad(card.serialNumber).map((s) => ["device1", s])]) {
      const params = { deviceLibraryIdentifier: device, passTypeIdentifier: passTypeId, serialNumber: serial };
      const post = await walletRegistration.POST(
        new Request(`${base}/devices/x/registrations/y/z`, { method: "POST", headers: auth(), body: JSON.stringify({ pushToken: "abcd" }) }),
        { params: Promise.resolve(params) },
      );
      expect(post.status).toBe(404);
      const del = await walletRegistration.DELETE(new Request(`${base}/devices/x/registrations/y/z`, { method: "DELETE", headers: auth() }), {
        params: Promise.resolve(params),
      });
      expect(del.status).toBe(404);
    }
  });

  it("a serial from an unsigned Google callback hint is nobody's", async () => {
    expect(await findPassIdentity(getDb(), `${card.serialNumber}\u0000`)).toBeNull();
    expect(await findPassIdentity(getDb(), card.serialNumber)).toMatchObject({ id: card.id });
  });
});
