import createFetchClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

/** The API's RFC 9457 problem document, as every error response carries it. */
export type Problem = components["schemas"]["Problem"];

/** A typed client for every path of the committed spec. */
export type SupportDeskClient = Client<paths>;

export interface ClientOptions {
  /** The API's origin, e.g. `https://desk.example.com` (paths already start with `/v1`). */
  baseUrl: string;
  /** Any key kind: sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** A fetch of your own (tests, proxies); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
}

/** Creates a client that authenticates every request with `apiKey`. */
export function createClient({ baseUrl, apiKey, fetch }: ClientOptions): SupportDeskClient {
  return createFetchClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(fetch ? { fetch } : {}),
  });
}

/** An error response of the API, with its problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`Support Desk API answered ${status}: ${describe(problem)}`);
    this.name = "ApiError";
  }
}

function describe(problem: unknown): string {
  if (typeof problem === "object" && problem !== null && "detail" in problem) {
    return String(problem.detail);
  }
  return JSON.stringify(problem);
}

type Outcome<T> =
  | { data: T; error?: never; response: Response }
  | { data?: never; error: unknown; response: Response };

/** The data of a successful call (or its promise); throws `ApiError` with the problem otherwise. */
export async function unwrap<T>(call: Outcome<T> | Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) {
    return data;
  }
  throw new ApiError(response.status, error);
}
