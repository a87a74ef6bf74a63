import type { ImageRules } from "@/lib/files";
import { TEMPLATE_IMAGE_MAX_BYTES } from "@/lib/files/limits";

export const TEMPLATE_IMAGE_SLOTS = ["logo", "icon", "strip"] as const;
export type TemplateImageSlot = (typeof TEMPLATE_IMAGE_SLOTS)[number];

/**
 * Apple's image boxes at @3x (logo 160×50 pt, icon 29×29 pt, strip 375×123 pt); Google reuses the
 * logo and the strip (as its hero image). Apple Wallet takes PNG only.
 */
export const TEMPLATE_IMAGE_RULES: Record<TemplateImageSlot, ImageRules> = {
  logo: { maxBytes: TEMPLATE_IMAGE_MAX_BYTES.logo, minWidth: 50, minHeight: 30, maxWidth: 480, maxHeight: 150, pngOnly: true },
  icon: { maxBytes: TEMPLATE_IMAGE_MAX_BYTES.icon, minWidth: 29, minHeight: 29, maxWidth: 512, maxHeight: 512, pngOnly: true },
  strip: { maxBytes: TEMPLATE_IMAGE_MAX_BYTES.strip, minWidth: 375, minHeight: 98, maxWidth: 1125, maxHeight: 432, pngOnly: true },
};
