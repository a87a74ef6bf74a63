const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/**
 * The text cut to at most `max` UTF-16 units without splitting a character a reader sees as one (an
 * emoji, a flag, a letter with its accent): `slice` alone can leave half a surrogate pair, which
 * outside services refuse or show as a broken glyph.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max) break;
    out += segment;
  }
  return out;
}
