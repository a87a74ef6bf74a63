// Pure (no server imports): the browser checks a file against these before uploading it, the server
// checks it again, and next.config.ts sizes the server-action body from them.

const KB = 1024;
export const MB = 1024 * KB;

/** The organisation's logo (cabinet and customer pages). */
export const MERCHANT_LOGO_MAX_BYTES = 1 * MB;
/** A template's images, by slot; Apple's boxes are small, so are the files. */
export const TEMPLATE_IMAGE_MAX_BYTES = { logo: 512 * KB, icon: 256 * KB, strip: 1 * MB } as const;
/** Each certificate, key or service-account file; real ones are a few KB. */
export const CERTIFICATE_MAX_BYTES = 64 * KB;
/** A card import: 200,000 rows of a phone, a name, an e-mail and a few values fit in it. */
export const CSV_IMPORT_MAX_BYTES = 20 * MB;
/** A promo-code CSV for a gift-certificate or coupon pool (500,000 codes of up to 16 characters). */
export const CODE_CSV_MAX_BYTES = 8 * MB;
/** Data rows in one card import; a larger file is refused as a whole, to be split. */
export const CSV_IMPORT_MAX_ROWS = 200_000;

/** The certificate form carries at most this many files at once (certificate, key, intermediate). */
const CERTIFICATE_FILES_PER_FORM = 3;
/** Room for a form's other fields and the multipart framing around its files. */
const FORM_OVERHEAD_BYTES = 64 * KB;

/**
 * The largest body a server action accepts: the largest image or certificate upload plus the form
 * around it. CSV imports never go through a server action (they stream to /api/cards/imports), so
 * anything bigger is refused before it is read.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES =
  Math.max(MERCHANT_LOGO_MAX_BYTES, ...Object.values(TEMPLATE_IMAGE_MAX_BYTES), CERTIFICATE_FILES_PER_FORM * CERTIFICATE_MAX_BYTES) + FORM_OVERHEAD_BYTES;

/** The translated "larger than …" message for a limit, in whole MB when it is one, else in KB. */
export function tooLargeMessage(maxBytes: number): { message: string; params: { max: number } } {
  return maxBytes >= MB && maxBytes % MB === 0
    ? { message: "validation.fileTooLargeMb", params: { max: maxBytes / MB } }
    : { message: "validation.fileTooLargeKb", params: { max: Math.round(maxBytes / KB) } };
}

/** The message for a chosen file over its limit, or null when it fits (an empty choice fits). */
export function checkFileSize(file: { size: number } | null | undefined, maxBytes: number): { message: string; params: { max: number } } | null {
  return file && file.size > maxBytes ? tooLargeMessage(maxBytes) : null;
}

/** A REST API request's JSON body: a card with all its values is a few KB; anything past this is refused (413) before it is parsed. */
export const API_BODY_LIMIT_BYTES = 256 * KB;
