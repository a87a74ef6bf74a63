// POST /api/certificate-opened — the certificate's page, once shown in a browser, says so (certificate.opened, recorded once)
import { getDb } from "@/db";
import { markCertificateOpened } from "@/lib/gift-certificates/customer";
import { isCrossOrigin } from "@/lib/security/origin";

/**
 * Sent by the page's script after render (components/gift-certificates/opened-beacon), never by the
 * page's GET: SMS link previews fetch the page but run no script. The body is the card's link token,
 * which the page itself holds; a token that is no certificate, or one opened before, changes nothing.
 */
export async function POST(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) return new Response(null, { status: 403 });
  const text = (await request.text()).slice(0, 200);
  let token = "";
  try {
    token = String((JSON.parse(text) as { token?: unknown }).token ?? "");
  } catch {
    return new Response(null, { status: 400 });
  }
  await markCertificateOpened(getDb(), token);
  return new Response(null, { status: 204 });
}
