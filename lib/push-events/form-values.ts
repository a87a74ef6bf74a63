import "server-only";
import type { Db } from "@/db";
import type { PushEvent, PushEventType } from "@/db/schema";
import { listTemplateRows } from "@/db/queries/templates";
import { listLocations } from "@/lib/locations";
import { toZonedInput } from "./zone";

/** What the cabinet's form offers: the merchant's live templates and points of sale. */
export async function pushEventFormOptions(db: Db, merchantId: string) {
  const [templates, locations] = await Promise.all([
    listTemplateRows(db, merchantId, { page: 1, pageSize: 100, archived: false }),
    listLocations(db, merchantId, { page: 1, pageSize: 200 }),
  ]);
  return {
    templates: templates.rows.map((r) => ({ id: r.template.id, name: r.template.name })),
    locations: locations.rows.map((l) => ({ id: l.id, name: l.name })),
  };
}

/** An event (or a new one of a type) as the form's values, its times in the merchant's zone. */
export function pushEventFormValues(timeZone: string, row: PushEvent | null, type: PushEventType = "push") {
  return {
    id: row?.id,
    type: row?.type ?? type,
    name: row?.name ?? "",
    message: row?.message ?? "",
    audience: row?.audience ?? { templateIds: [] },
    design: row?.design ?? {},
    startAt: row?.startAt ? toZonedInput(timeZone, row.startAt) : "",
    endAt: row?.endAt ? toZonedInput(timeZone, row.endAt) : "",
  };
}
