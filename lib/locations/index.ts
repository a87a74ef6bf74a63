import "server-only";
import type { Db } from "@/db";
import type { Location } from "@/db/schema";
import { deleteLocationRow, findLocation, insertLocation, listLocations, updateLocationRow } from "@/db/queries/locations";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import type { LocationInput } from "@/lib/validations/locations";

export const LOCATIONS_PAGE_SIZE = 20;

export { listLocations };

export async function getLocationOrThrow(db: Db, merchantId: string, id: string): Promise<Location> {
  const location = await findLocation(db, merchantId, id);
  if (!location) throw new NotFoundError();
  return location;
}

export function createLocation(db: Db, actor: AuditActor, input: LocationInput): Promise<Location> {
  return db.transaction(async (tx) => {
    const location = await insertLocation(tx, actor.merchantId, input);
    await recordAudit(tx, actor, { action: "location.create", entityType: "location", entityId: location.id, after: location });
    return location;
  });
}

export function updateLocation(db: Db, actor: AuditActor, id: string, input: LocationInput): Promise<Location> {
  return db.transaction(async (tx) => {
    const before = await getLocationOrThrow(tx, actor.merchantId, id);
    const after = await updateLocationRow(tx, actor.merchantId, id, input);
    if (!after) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "location.update", entityType: "location", entityId: id, before, after });
    return after;
  });
}

export function deleteLocation(db: Db, actor: AuditActor, id: string): Promise<Location> {
  return db.transaction(async (tx) => {
    const before = await deleteLocationRow(tx, actor.merchantId, id);
    if (!before) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "location.delete", entityType: "location", entityId: id, before });
    return before;
  });
}
