// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document (public: it holds no merchant data)
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getEnv } from "@/lib/env";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export function GET(): Response {
  // Built once per process: it depends only on the code and APP_URL.
  document ??= buildOpenApiDocument(getEnv().APP_URL);
  return Response.json(document, { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
}
