import "server-only";
import type { Db } from "@/db";
import { listLocations } from "@/lib/locations";
import { listTemplates } from "@/lib/templates";

/** The gift and coupon designs and points of sale a definition's form offers (the form shows those of its kind). */
export async function definitionFormOptions(db: Db, merchantId: string) {
  const [templates, locations] = await Promise.all([
    listTemplates(db, merchantId, { page: 1, pageSize: 200, archived: false }),
    listLocations(db, merchantId, { page: 1, pageSize: 200 }),
  ]);
  return {
    templates: templates.rows
      .filter(({ template }) => template.kind === "gift" || template.kind === "coupon")
      .map(({ template }) => ({ id: template.id, name: template.name, kind: template.kind as "gift" | "coupon" })),
    locations: locations.rows.map((l) => ({ id: l.id, name: l.name })),
  };
}
