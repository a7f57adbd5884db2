import { request as httpRequest } from "node:http";

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address, e.g. 127.0.0.2, to act as a different client on loopback. */
  localAddress?: string;
}

/** A plain HTTP request (node:http, so the source address can be chosen and no cookies are kept). */
export function http(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${url} did not answer within 15 s`)));
    req.end(options.body);
  });
}

/** The session cookie (name=value) from a login response, or undefined. */
export function sessionCookieOf(response: HttpResponse): string | undefined {
  const setCookie = response.headers["set-cookie"] ?? [];
  const found = (Array.isArray(setCookie) ? setCookie : [setCookie]).find((c) => c.startsWith("canopy_board_session="));
  return found?.split(";")[0];
}

/** Logs in through the form endpoint like a browser on the board's own origin would. */
export async function login(
  boardUrl: string,
  user: string,
  password: string,
  localAddress?: string,
): Promise<HttpResponse & { cookie?: string }> {
  const origin = new URL(boardUrl).origin;
  const response = await http(new URL("login", boardUrl).href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ user, password }).toString(),
    localAddress,
  });
  return { ...response, cookie: sessionCookieOf(response) };
}
