import { createSign } from "node:crypto";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** An RS256 JSON Web Token signed with a service account's private key (PEM). */
export function signJwt(claims: Record<string, unknown>, privateKeyPem: string): string {
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKeyPem);
  return `${head}.${body}.${b64url(signature)}`;
}
