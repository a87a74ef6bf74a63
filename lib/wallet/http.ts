/** A .pkpass download: Safari on iPhone opens it in Wallet; elsewhere it saves as <name>.pkpass. */
export function pkpassResponse(pkpass: Buffer, name: string, headers: Record<string, string> = {}): Response {
  const safe = name.replace(/[^\p{L}\p{N} _-]/gu, "").trim() || "card";
  return new Response(new Uint8Array(pkpass), {
    headers: {
      "content-type": "application/vnd.apple.pkpass",
      "content-disposition": `attachment; filename="card.pkpass"; filename*=UTF-8''${encodeURIComponent(safe)}.pkpass`,
      "cache-control": "no-store",
      ...headers,
    },
  });
}
