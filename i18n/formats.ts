import type { Formats } from "next-intl";

/**
 * The app's named date formats, one per purpose, so the same kind of moment reads the same on every
 * page (the dashboard's activity and the Messages list used to differ): `format.dateTime(d, "moment")`.
 */
export const FORMATS = {
  dateTime: {
    /** When something happened: activity, messages, card history, template versions. */
    moment: { dateStyle: "medium", timeStyle: "short" },
    /** A day without a time: creation dates, expiry dates. */
    day: { dateStyle: "medium" },
  },
} satisfies Formats;
