/**
 * A pass.strings file. Unlike passkit-generator's writer, quotes, backslashes and line breaks in
 * merchant texts are escaped, so terms with quotes or several lines stay valid.
 */
export function passStrings(table: Record<string, string>): Buffer {
  const escape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n");
  return Buffer.from(
    `${Object.entries(table)
      .map(([k, v]) => `"${escape(k)}" = "${escape(v)}";`)
      .join("\n")}\n`,
    "utf8",
  );
}
