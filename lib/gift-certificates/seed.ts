import "server-only";
import type { Db } from "@/db";
import { staffActor } from "@/lib/cards/actor";
import { createDefinition, listDefinitions } from "./definitions";
import { issueCertificates } from "./issue";
import { generatePoolCodes } from "./pool";

const DEMO_RECIPIENTS = [
  { phone: "+79161234501", name: "Anna Petrova", message: "Happy birthday, Anna!" },
  { phone: "+79161234504", name: "Pavel Orlov", message: null },
];

/** The demo's gift certificate: 1,000 ₽, partial redemption, 50 generated codes, two issued. Idempotent. */
export async function seedDemoGiftCertificates(db: Db, actor: { merchantId: string; userId: string }): Promise<void> {
  if ((await listDefinitions(db, actor.merchantId)).length) return;
  const definition = await createDefinition(db, actor, {
    name: "Gift certificate 1,000 ₽",
    valueKind: "money",
    nominal: 100_000,
    presentation: { en: "Show the code or its barcode at the till.", ru: "Покажите код или штрихкод на кассе." },
    terms: {
      en: "Valid for **one year** from issue.\n\n- Can be spent in parts\n- Not exchangeable for cash",
      ru: "Действует **один год** с даты выпуска.\n\n- Можно тратить частями\n- Не обменивается на деньги",
    },
    validity: { mode: "days", days: 365 },
    partialRedemption: true,
    lowPoolThreshold: 10,
  });
  await generatePoolCodes(db, actor, definition.id, { count: 50, length: 10 });
  await db.transaction((tx) => issueCertificates(tx, { merchantId: actor.merchantId, actor: staffActor(actor.userId) }, definition.id, DEMO_RECIPIENTS));
}
