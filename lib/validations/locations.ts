import { z } from "zod";
import { requiredText, searchText, text } from "./common";

/** A decimal from a form field: accepts a comma as the decimal mark, refuses empty and non-numbers (with an example of its own kind). */
const coordinate = (min: number, max: number, numberKey: string, rangeKey: string) =>
  z.preprocess(
    (v) => {
      if (typeof v === "number") return v;
      const s = String(v ?? "")
        .trim()
        .replace(",", ".");
      return s === "" ? undefined : /^[-+]?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
    },
    z
      .number({ error: (issue) => (issue.input === undefined ? "validation.required" : numberKey) })
      .min(min, { error: rangeKey })
      .max(max, { error: rangeKey }),
  );

export const locationSchema = z.object({
  name: requiredText(120),
  address: text(300),
  latitude: coordinate(-90, 90, "validation.latitude", "validation.latitudeRange"),
  longitude: coordinate(-180, 180, "validation.longitude", "validation.longitudeRange"),
  // Apple shows this on the lock screen near the place; keep it short.
  nearbyText: text(120),
});

export const locationIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });
export const updateLocationSchema = locationSchema.extend(locationIdSchema.shape);

/** Cabinet → Points of sale search from the query string; never refused. */
export const listLocationsQuerySchema = z.object({ q: searchText(100) });

export type LocationInput = z.infer<typeof locationSchema>;
