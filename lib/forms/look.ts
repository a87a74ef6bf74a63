import { MB } from "@/lib/files/limits";

/** The public page's cover image: wide, at most 2 MB, re-encoded on upload like every image. */
export const COVER_RULES = { maxBytes: 2 * MB, minWidth: 320, minHeight: 120, maxWidth: 4096, maxHeight: 4096 };

/** A public link as a full address. */
export const formLink = (appUrl: string, token: string) => `${appUrl.replace(/\/$/, "")}/f/${token}`;
