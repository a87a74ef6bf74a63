type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export type ApiCallOptions = {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
};

/** Calls a route handler as Next.js would, with the key as a Bearer token. */
export async function callApi(route: unknown, key: string, opts: ApiCallOptions = {}) {
  const url = new URL(`http://localhost${opts.path ?? "/api/v1/x"}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const request = new Request(url, {
    method: opts.method ?? "GET",
    headers: { authorization: `Bearer ${key}`, ...opts.headers },
    body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
  });
  const response = await (route as Route)(request, { params: Promise.resolve((opts.params ?? {}) as never) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
