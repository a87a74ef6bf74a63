import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import type { TriggerKind } from "@/db/schema";
import type { Follower } from "@/lib/card-events/types";
import { enqueue } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

// Apart from lib/push-events/triggers (which records through the door): the door's list of followers
// imports this file, and must not import itself back.

/**
 * The events door drives the rules that follow a change: a card added to a wallet (welcome) and a
 * level reached. A send row is written in the change's own transaction, once per occasion; the
 * trigger job sends it (outside quiet hours).
 */
export const triggersFollower: Follower = {
  name: "triggers",
  follows: new Set(["card.installed", "level.changed"] as const),
  async follow(tx, ctx, events) {
    let written = 0;
    for (const e of events) {
      if (!e.cardId) continue;
      const kind: TriggerKind = e.type === "card.installed" ? "welcome" : "level_reached";
      const occasion = kind === "welcome" ? "welcome" : `level:${String(e.data?.to ?? "")}`;
      const rows = rowsOf(
        await tx.execute(sql`
          insert into push_trigger_sends (merchant_id, rule_id, card_id, occasion)
          select ${ctx.merchantId}::uuid, r.id, ${e.cardId}::uuid, ${occasion}
          from push_trigger_rules r where r.merchant_id = ${ctx.merchantId}::uuid and r.kind = ${kind} and r.enabled
          on conflict do nothing returning id`),
      );
      written += rows.length;
    }
    return written ? [QUEUES.pushTriggers] : [];
  },
};

export const scheduleTriggers = () => enqueue(QUEUES.pushTriggers, {}, { singletonKey: "push-triggers" }).then(() => undefined);
