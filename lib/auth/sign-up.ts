import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db";
import type { Merchant, User } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import { AppError, fieldError } from "@/lib/errors";
import { createMerchantWithOwner } from "@/lib/merchants";
import { queueMessage } from "@/lib/outbox";
import type { SignUpInput } from "@/lib/validations/auth";
import { findUserByEmail } from "./authenticate";
import { hashPassword, verifyPassword } from "./password";
import { THROTTLE_RULES, countAttempt } from "./throttle";

/**
 * Sign-up in two steps, so the form never tells whether an e-mail has an account: every accepted
 * form gets the same "check your e-mail" answer (same work, same timing). A new address receives a
 * link that creates the organisation; an address that has an account receives a note that someone
 * tried to sign up with it. Nothing is stored until the link is used: the form's values travel in
 * the link, sealed (AES-256-GCM under a key derived from AUTH_SECRET) with an expiry.
 */
export const SIGN_UP_LINK_HOURS = 24;
const CONTEXT = "sign-up-link";

const payloadSchema = z.object({ o: z.string(), n: z.string(), e: z.string(), h: z.string(), x: z.number() });
export type SignUpRequest = { organisation: string; name: string; email: string; passwordHash: string; expiresAt: Date };

const linkKey = () => createHash("sha256").update(`carddesk:${CONTEXT}:${getEnv().authSecret}`).digest();

export function sealSignUpRequest(req: Omit<SignUpRequest, "expiresAt">, expiresAt: Date): string {
  const plain = JSON.stringify({ o: req.organisation, n: req.name, e: req.email, h: req.passwordHash, x: expiresAt.getTime() });
  return Buffer.from(encryptSecret(plain, CONTEXT, linkKey())).toString("base64url");
}

/** The request a link carries, or null when it is forged, damaged or expired. */
export function openSignUpRequest(token: unknown, now = new Date()): SignUpRequest | null {
  if (typeof token !== "string" || token.length === 0 || token.length > 4000) return null;
  try {
    const plain = decryptSecret(Buffer.from(token, "base64url").toString(), CONTEXT, linkKey()).toString();
    const p = payloadSchema.parse(JSON.parse(plain));
    if (p.x <= now.getTime()) return null;
    return { organisation: p.o, name: p.n, email: p.e, passwordHash: p.h, expiresAt: new Date(p.x) };
  } catch {
    return null;
  }
}

/**
 * Step one, from the form. Throttled per address (SIGNUP_PER_IP_PER_HOUR). Returns the outbox ids to
 * dispatch; the caller answers the same whichever e-mail was queued.
 */
export async function requestSignUp(db: Db, input: SignUpInput, ctx: { ip: string; now?: Date }): Promise<{ outboxIds: string[] }> {
  const { over } = await countAttempt(db, [{ kind: "signup", value: ctx.ip }]);
  if (over) throw new AppError("rate_limited", "auth.signUpThrottled", undefined, { minutes: THROTTLE_RULES.signup.windowSeconds / 60 });
  // Hashed either way, so a taken address costs the same time as a new one.
  const passwordHash = await hashPassword(input.password);
  const base = getEnv().APP_URL.replace(/\/$/, "");
  const existing = await findUserByEmail(db, input.email);
  if (existing) {
    const id = await queueMessage(db, {
      merchantId: null,
      channel: "email",
      recipient: existing.email,
      subject: "Your CardDesk address / Ваш адрес в CardDesk",
      body:
        `Someone tried to create a CardDesk account with this e-mail address, which already has one. If it was you, sign in: ${base}/sign-in. Otherwise you can ignore this message.\n\n` +
        `Кто-то пытался зарегистрироваться в CardDesk с этим адресом, но у него уже есть учётная запись. Если это были вы, войдите: ${base}/sign-in. Иначе просто не обращайте внимания на это письмо.`,
    });
    return { outboxIds: [id] };
  }
  const expiresAt = new Date((ctx.now ?? new Date()).getTime() + SIGN_UP_LINK_HOURS * 3600_000);
  const link = `${base}/sign-up/confirm?token=${sealSignUpRequest({ ...input, passwordHash }, expiresAt)}`;
  const id = await queueMessage(db, {
    merchantId: null,
    channel: "email",
    recipient: input.email,
    subject: "Confirm your CardDesk account / Подтвердите регистрацию в CardDesk",
    body:
      `To create "${input.organisation}" in CardDesk, open this link within ${SIGN_UP_LINK_HOURS} hours: ${link}\n\n` +
      `Чтобы создать «${input.organisation}» в CardDesk, откройте ссылку в течение ${SIGN_UP_LINK_HOURS} часов: ${link}`,
  });
  return { outboxIds: [id] };
}

/**
 * Step two, from the link: the person re-enters the password chosen in step one (which also signs
 * them in), and the organisation is created. An address taken meanwhile gets the usual refusal: only
 * the mailbox's owner can get this far.
 */
export async function confirmSignUp(db: Db, token: unknown, password: string): Promise<{ merchant: Merchant; owner: User; outboxIds: string[] }> {
  const req = openSignUpRequest(token);
  if (!req) throw new AppError("validation", "auth.signUpLinkInvalid");
  if (!(await verifyPassword(req.passwordHash, password))) throw fieldError("password", "auth.signUpPasswordMismatch");
  return createMerchantWithOwner(db, { organisation: req.organisation, name: req.name, email: req.email, passwordHash: req.passwordHash });
}
