// A small typed fetch wrapper over the types openapi-typescript generates from the
// Stamps spec (`stamps.ts`, written by .ci/publish-check.sh): the path picks the
// operation, and the operation types the query, the body and the decoded answer.
// A call with a wrong path, a missing required field or a field of the wrong type
// does not compile.

import type { components, paths } from "./stamps.js";

type Method = "get" | "post";

/** The paths that have an operation for `M` (`get?: never` does not count). */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];

/** The operation of `path` for `M`. */
type Operation<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer O } ? O : never;

/** An operation's query parameters. */
export type Query<O> = O extends { parameters: { query: infer Q } } ? Q : never;

/** An operation's JSON request body. */
export type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

/** An operation's JSON answer on success (every operation answers 200). */
export type Ok<O> = O extends { responses: { 200: { content: { "application/json": infer R } } } } ? R : never;

/** The JSON body of every error answer. */
export type ErrorBody = components["schemas"]["ErrorBody"];

/** What a call gives back: the decoded answer, or the status and error body. */
export type Result<T> =
  | { ok: true; status: 200; data: T }
  | { ok: false; status: number; error: ErrorBody | string };

export class StampsClient {
  /**
   * @param baseUrl e.g. `https://stamps.co.id`
   * @param key the merchant key, sent as `Authorization: Token <key>`
   */
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** A GET: `query` is the operation's query parameters. */
  get<P extends PathsWith<"get">>(
    path: P,
    query: Query<Operation<P, "get">>,
  ): Promise<Result<Ok<Operation<P, "get">>>> {
    return this.call("GET", path, query, undefined);
  }

  /** A POST: `body` is the operation's JSON body. */
  post<P extends PathsWith<"post">>(
    path: P,
    body: Body<Operation<P, "post">>,
  ): Promise<Result<Ok<Operation<P, "post">>>> {
    return this.call("POST", path, undefined, body);
  }

  private async call<T>(method: string, path: string, query: unknown, body: unknown): Promise<Result<T>> {
    const url = new URL(path, this.baseUrl);
    // OpenAPI's default for query parameters (form style, exploded): `name=value`.
    for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(name, String(value));
      }
    }
    const headers: Record<string, string> = {
      Authorization: `Token ${this.key}`,
      Accept: "application/json",
    };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    const json = (response.headers.get("content-type") ?? "").includes("application/json");
    if (response.status === 200) {
      return { ok: true, status: 200, data: JSON.parse(text) as T };
    }
    // Errors are the API's JSON error body, or an HTML page (5xx).
    return { ok: false, status: response.status, error: json ? (JSON.parse(text) as ErrorBody) : text };
  }
}
