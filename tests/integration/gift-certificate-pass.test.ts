import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { staffActor } from "@/lib/cards/actor";
import { transitionCard } from "@/lib/cards";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { issueCertificates } from "@/lib/gift-certificates/issue";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { postTransaction } from "@/lib/ledger";
import type { GoogleIssuer } from "@/lib/wallet/google/account";
import { cardGoogleObject, loadCardByLinkToken } from "@/lib/wallet/pass";
import { GET as publicPass } from "@/app/(public)/c/[token]/pass/route";
import { createTestMerchant, uniquePhone } from "../factories";

/** A certificate's wallet pass follows its life: its balance after a redemption, voided while blocked (issue 13, item 12). */

const text = (en: string) => ({ en, ru: en });

async function passJson(token: string) {
  const response = await publicPass(new Request(`http://localhost/c/${token}/pass`), { params: Promise.resolve({ token }) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
  const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
  return JSON.parse(await zip.file("pass.json")!.async("string")) as Record<string, unknown> & {
    voided: boolean;
    storeCard?: { primaryFields: { key: string; value: unknown }[] };
  };
}

const issuer = { issuerId: "3388000000012345678" } as GoogleIssuer;
async function googleState(token: string) {
  const data = (await loadCardByLinkToken(getDb(), token))!;
  return (await cardGoogleObject(getDb(), data, issuer)).object.body.state;
}

describe("a certificate's pass", () => {
  it("shows the balance left, is voided while the certificate is blocked, and live again when unblocked", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const definition = await createDefinition(db, m.actor, {
      name: "Gift 1000",
      valueKind: "money",
      nominal: 100_000,
      presentation: text("Show it"),
      terms: text("Terms"),
      validity: { mode: "days", days: 30 },
    });
    await generatePoolCodes(db, m.actor, definition.id, { count: 2, length: 10 });
    const [issued] = await db.transaction((tx) =>
      issueCertificates(tx, { merchantId: m.merchant.id, actor: staffActor(m.owner.id) }, definition.id, [{ phone: uniquePhone() }]),
    );
    const token = issued.card.linkToken;
    await postTransaction(db, { merchantId: m.merchant.id, actor: { type: "api", keyId: "till" } }, { cardId: issued.card.id, type: "redeem", points: 40_000 });

    const live = await passJson(token);
    expect(live.voided).toBe(false);
    expect(live.barcodes).toEqual([expect.objectContaining({ message: issued.code })]);
    const balance = live.storeCard?.primaryFields.find((f) => f.key === "balance");
    expect(String(balance?.value)).toMatch(/600/);
    expect(await googleState(token)).toBe("ACTIVE");

    await transitionCard(db, m.merchant.id, staffActor(m.owner.id), issued.card.id, "block");
    const blocked = await passJson(token);
    expect(blocked.voided).toBe(true);
    expect(blocked.serialNumber).toBe(live.serialNumber);
    expect(await googleState(token)).toBe("INACTIVE");

    await transitionCard(db, m.merchant.id, staffActor(m.owner.id), issued.card.id, "unblock");
    expect((await passJson(token)).voided).toBe(false);
    expect(await googleState(token)).toBe("ACTIVE");
  });
});
