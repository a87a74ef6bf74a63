import "server-only";
import { AppError } from "@/lib/errors";

/**
 * A sample that cannot be built (Wallet would refuse it, or secrets cannot be opened) sends the browser
 * back to the editor, which says why; anything else is left to the route wrapper.
 */
export async function orBackToEditor(request: Request, templateId: string, build: () => Promise<Response>): Promise<Response> {
  try {
    return await build();
  } catch (err) {
    if (err instanceof AppError) return Response.redirect(new URL(`/templates/${templateId}?sampleError=${encodeURIComponent(err.message)}`, request.url), 303);
    throw err;
  }
}
