import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import type { StaffRole } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { resumeSignIn, signInWithCode, signInWithPassword, type SignInRefusal } from "@/lib/staff-security/sign-in";
import { signInSchema } from "@/lib/validations/auth";
import { clientIp } from "./client-ip";

/**
 * Carries the refusal reason to the sign-in form; `code` is `invalid`, `inactive`, `throttled:<seconds>`,
 * `second_factor:<challenge>` (the password was right; a code is owed), `bad_code` or `challenge_expired`.
 */
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
    sessionId?: string;
  }
  interface Session {
    user: { id: string; merchantId: string; role: StaffRole; email: string; name: string; sessionVersion: number; sessionId: string };
  }
}

function refusalCode(r: SignInRefusal): string {
  if (r.reason === "throttled") return `throttled:${r.retryAfterSeconds}`;
  if (r.reason === "second_factor") return `second_factor:${r.challenge}`;
  return r.reason;
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
        credentials: { email: {}, password: {}, challenge: {}, code: {}, resume: {} },
        async authorize(credentials, request) {
          const client = { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
          const db = getDb();
          const { challenge, code, resume } = credentials ?? {};
          let result;
          if (typeof challenge === "string" && challenge) {
            if (resume === "1") result = await resumeSignIn(db, challenge, client);
            else if (typeof code === "string" && code.length > 0 && code.length <= 32) result = await signInWithCode(db, { challenge, code }, client);
            else throw new SignInRefused("bad_code");
          } else {
            const parsed = signInSchema.safeParse(credentials);
            if (!parsed.success) throw new SignInRefused("invalid");
            result = await signInWithPassword(db, parsed.data, client);
          }
          if (!result.ok) throw new SignInRefused(refusalCode(result));
          const { user, sessionId } = result;
          return {
            id: user.id,
            email: user.email,
            name: user.name,
            merchantId: user.merchantId,
            role: user.role,
            sessionVersion: user.sessionVersion,
            sessionId,
          };
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
          token.sid = user.sessionId;
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
          sessionId: typeof token.sid === "string" ? token.sid : "",
        };
        return session;
      },
    },
  };
}

export const { auth, handlers, signIn, signOut } = NextAuth(() => config());
