import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { files, locations } from "@/db/schema";
import type { TemplateDefinition } from "@/lib/templates/definition";
import type { PassImages } from "./apple";
import type { PassLocation } from "./apple/pass-json";
import { retinaVariants, type AppleImageSlot } from "./apple/retina";

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
  // Each upload as its @1x/@2x/@3x set, made once per file (./apple/retina).
  const image = async (id: string | null, slot: AppleImageSlot) => {
    const data = id ? byId.get(id) : undefined;
    return id && data ? retinaVariants(id, slot, data) : undefined;
  };
  const [logo, icon, strip] = await Promise.all([image(logoFileId, "logo"), image(iconFileId, "icon"), image(stripFileId, "strip")]);

  const wanted = definition.locations.map((l) => l.locationId);
  const places = wanted.length
    ? await db
        .select()
        .from(locations)
        .where(and(eq(locations.merchantId, merchantId), inArray(locations.id, wanted)))
    : [];
  const placeById = new Map(places.map((p) => [p.id, p]));
  return {
    images: { logo, icon, strip },
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
