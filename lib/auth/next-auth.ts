import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import type { StaffRole } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { signInSchema } from "@/lib/validations/auth";
import { authenticate } from "./authenticate";
import { clientIp } from "./client-ip";

/** Carries the refusal reason to the sign-in form; `code` is `invalid`, `inactive` or `throttled:<seconds>`. */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

declare module "next-auth" {
  interface User {
    merchantId?: string;
    role?: StaffRole;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; merchantId: string; role: StaffRole; email: string; name: string; sessionVersion: number };
  }
}

function config(): NextAuthConfig {
  return {
    secret: getEnv().authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600, updateAge: 24 * 3600 },
    pages: { signIn: "/sign-in" },
    // A refused sign-in is an expected answer (shown on the form), not a server error worth a stack trace.
    logger: {
      error(error) {
        // Matched by `type`: class names do not survive minification.
        if ((error as Error & { type?: string }).type === "CredentialsSignin") return;
        logger.error("auth error", { error: error.stack ?? error.message });
      },
      warn(code) {
        logger.warn("auth warning", { code });
      },
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) throw new SignInRefused("invalid");
          const result = await authenticate(getDb(), { ...parsed.data, ip: clientIp(request.headers) });
          if (!result.ok) {
            throw new SignInRefused(result.reason === "throttled" ? `throttled:${result.retryAfterSeconds}` : result.reason);
          }
          const { user } = result;
          return { id: user.id, email: user.email, name: user.name, merchantId: user.merchantId, role: user.role, sessionVersion: user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.mid = user.merchantId;
          token.role = user.role;
          token.sv = user.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          ...session.user,
          id: String(token.uid),
          merchantId: String(token.mid),
          role: token.role as StaffRole,
          sessionVersion: Number(token.sv ?? 0),
        };
        return session;
      },
    },
  };
}

export const { auth, handlers, signIn, signOut } = NextAuth(() => config());
