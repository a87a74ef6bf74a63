import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { pgArray, rowsOf } from "@/db/rows";
import { NO_ID } from "@/db/schema/reports";
import type { ReportFilters } from "@/lib/validations/reports";

/** What a campaign's pushes came to, per platform: Apple accepted / failed; Google accepted (notified) / quota-limited (shown without a notification) / failed / in doubt. */
export type CampaignPushFigures = {
  apple: { accepted: number; failed: number };
  google: { accepted: number; quota: number; failed: number; inDoubt: number };
};
export type CampaignPushes = CampaignPushFigures & { id: string; name: string; type: string; deleted: boolean };

export const emptyCampaignFigures = (): CampaignPushFigures => ({
  apple: { accepted: 0, failed: 0 },
  google: { accepted: 0, quota: 0, failed: 0, inDoubt: 0 },
});

const METRICS = ["campaign.accepted", "campaign.failed", "campaign.quota", "campaign.in_doubt"];

function addTo(figures: CampaignPushFigures, platform: string, metric: string, n: number) {
  const outcome = metric.slice("campaign.".length);
  if (platform === "apple" && (outcome === "accepted" || outcome === "failed")) figures.apple[outcome] += n;
  if (platform === "google") {
    const key = outcome === "in_doubt" ? "inDoubt" : (outcome as "accepted" | "quota" | "failed");
    if (key in figures.google) figures.google[key] += n;
  }
}

/**
 * Delivered pushes per campaign in the period (the days the outcomes came in, in the merchant's time
 * zone), from the rollup's campaign dimension (folded from `push.delivered` and the campaign's
 * `wallet.push_failed`); newest campaign first, and their total. A campaign's name comes from its push
 * event, a deleted one's too (deleting only hides it from the list).
 */
export async function campaignPushesReport(db: Db, merchantId: string, f: ReportFilters): Promise<{ campaigns: CampaignPushes[]; total: CampaignPushFigures }> {
  const conds: SQL[] = [
    sql`merchant_id = ${merchantId}::uuid`,
    sql`metric = any(${pgArray(METRICS)}::text[])`,
    sql`day between ${f.from}::date and ${f.to}::date`,
    sql`campaign_id <> ${NO_ID}::uuid`,
  ];
  if (f.templateId) conds.push(sql`template_id = ${f.templateId}::uuid`);
  if (f.source) conds.push(sql`source = ${f.source}`);
  const rows = rowsOf<{ campaign_id: string; metric: string; platform: string; n: number }>(
    await db.execute(sql`
      select campaign_id, metric, platform, sum(count)::float8 as n from report_daily
      where ${sql.join(conds, sql` and `)}
      group by 1, 2, 3`),
  );
  const byCampaign = new Map<string, CampaignPushFigures>();
  const total = emptyCampaignFigures();
  for (const r of rows) {
    const figures = byCampaign.get(r.campaign_id) ?? emptyCampaignFigures();
    byCampaign.set(r.campaign_id, figures);
    addTo(figures, r.platform, r.metric, Number(r.n));
    addTo(total, r.platform, r.metric, Number(r.n));
  }
  if (!byCampaign.size) return { campaigns: [], total };
  const events = rowsOf<{ id: string; name: string; type: string; message: string; deleted: boolean; created_at: string }>(
    await db.execute(sql`
      select id, name, type::text as type, message, deleted_at is not null as deleted, created_at from push_events
      where merchant_id = ${merchantId}::uuid and id = any(${pgArray([...byCampaign.keys()])}::uuid[])
      order by created_at desc, id desc`),
  );
  const campaigns = events.map((e) => ({
    id: e.id,
    name: e.name || e.message.slice(0, 40),
    type: e.type,
    deleted: Boolean(e.deleted),
    ...byCampaign.get(e.id)!,
  }));
  return { campaigns, total };
}
