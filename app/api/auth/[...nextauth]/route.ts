// GET|POST /api/auth/* — next-auth session, CSRF and sign-out endpoints
import { handlers } from "@/lib/auth/next-auth";

export const { GET, POST } = handlers;
