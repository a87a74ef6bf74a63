import type { Merchant } from "@/db/schema";

/**
 * The owner requires two-factor sign-in and this user has not set it up yet: pages send them to
 * Settings → Security, actions and routes refuse. Apart from lib/auth/session so that tests mocking
 * the session module keep this rule.
 */
export const TWO_FACTOR_SETUP_PATH = "/settings/security";

export function mustSetUpTwoFactor(ctx: { merchant: Pick<Merchant, "requireTwoFactor">; twoFactor?: boolean }): boolean {
  return Boolean(ctx.merchant.requireTwoFactor) && !ctx.twoFactor;
}
