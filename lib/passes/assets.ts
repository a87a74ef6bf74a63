import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { files, locations } from "@/db/schema";
import type { TemplateDefinition } from "@/lib/templates/definition";
import type { PassImages } from "./apple";
import type { PassLocation } from "./apple/pass-json";

/** The images and points of sale a definition names, read for its merchant only; deleted ones are skipped. */
export async function loadPassAssets(db: Db, merchantId: string, definition: TemplateDefinition): Promise<{ images: PassImages; locations: PassLocation[] }> {
  const { logoFileId, iconFileId, stripFileId } = definition.design;
  const ids = [logoFileId, iconFileId, stripFileId].filter((id): id is string => !!id);
  const stored = ids.length
    ? await db
        .select({ id: files.id, data: files.data })
        .from(files)
        .where(and(eq(files.merchantId, merchantId), inArray(files.id, ids)))
    : [];
  const byId = new Map(stored.map((f) => [f.id, f.data]));
  const image = (id: string | null) => (id ? byId.get(id) : undefined);

  const wanted = definition.locations.map((l) => l.locationId);
  const places = wanted.length
    ? await db
        .select()
        .from(locations)
        .where(and(eq(locations.merchantId, merchantId), inArray(locations.id, wanted)))
    : [];
  const placeById = new Map(places.map((p) => [p.id, p]));
  return {
    images: { logo: image(logoFileId), icon: image(iconFileId), strip: image(stripFileId) },
    locations: definition.locations
      .filter((l) => placeById.has(l.locationId))
      .map((l) => {
        const p = placeById.get(l.locationId)!;
        // The template's text wins; the point of sale's own nearby text is the default.
        const relevantText = l.relevantText.en || l.relevantText.ru ? l.relevantText : { en: p.nearbyText, ru: p.nearbyText };
        return { latitude: p.latitude, longitude: p.longitude, relevantText };
      }),
  };
}
