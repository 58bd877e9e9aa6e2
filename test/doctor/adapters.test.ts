/**
 * What the real adapters turn failures into (the checks' wording depends on it), and the TikTok
 * client's refusal to follow a redirect with the token.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RemoteCallError } from "../../src/doctor/errors";
import {
  type AuthorizedClient,
  authorizedGet,
  fromGaxiosError,
  googleCloudReaders,
} from "../../src/doctor/google-cloud";
import { tiktokEventsApi } from "../../src/doctor/tiktok-api";
import { SecretValue } from "../../src/gtm/client/access-token";

const TOKEN = "SENTINEL-TOKEN-adapters-41d0";

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function rejection(promise: Promise<unknown>): Promise<RemoteCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteCallError);
  return error as RemoteCallError;
}

describe("authorizedGet", () => {
  it("resolves the client once, and a missing login is a credentials failure of every call", async () => {
    const client = jest.fn(async (): Promise<AuthorizedClient> => {
      throw new Error(
        "Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication",
      );
    });
    const get = authorizedGet(client);
    for (let i = 0; i < 2; i++) {
      const error = await rejection(get("https://compute.googleapis.com/x"));
      expect(error.kind).toBe("credentials");
      expect(error.message).toMatch(/^Could not load the default credentials/);
    }
    expect(client).toHaveBeenCalledTimes(1);
  });

  it("answers every status, so the readers can say what a 403 or 404 means", async () => {
    const request = jest.fn(async () => ({
      status: 403,
      data: { error: { code: 403, message: "Permission denied" } },
    }));
    const { cloud } = googleCloudReaders(authorizedGet(async () => ({ request })));
    const error = await rejection(cloud.globalAddress("p", "sgtm-x-ip"));
    expect(error).toMatchObject({ kind: "http", status: 403, message: "Permission denied" });
    expect(request).toHaveBeenCalledWith(
      expect.objectContaining({
        url: "https://compute.googleapis.com/compute/v1/projects/p/global/addresses/sgtm-x-ip",
        method: "GET",
      }),
    );
  });
});

describe("fromGaxiosError", () => {
  it.each([
    [
      "an HTTP status",
      { response: { status: 500, data: { error: { message: "Internal error" } } } },
      "http",
      "Internal error",
    ],
    [
      "a refused login",
      new Error("invalid_grant: reauth related error (invalid_rapt)"),
      "credentials",
      "invalid_grant",
    ],
    [
      "an abort",
      Object.assign(new Error("This operation was aborted"), { name: "AbortError" }),
      "timeout",
      "aborted",
    ],
    [
      "a refused connection",
      Object.assign(new Error("request to x failed, reason: connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "network",
      "ECONNREFUSED",
    ],
  ])("classifies %s", (_label, error, kind, words) => {
    const converted = fromGaxiosError(error);
    expect(converted.kind).toBe(kind);
    expect(converted.message).toContain(words);
  });
});

describe("the TikTok client", () => {
  it("never follows a redirect, so the token stays with the host it was sent to", async () => {
    const elsewhere: string[] = [];
    const target = await serve((req, res) => {
      elsewhere.push(String(req.headers["access-token"]));
      res.end("{}");
    });
    const redirecting = await serve((_req, res) => {
      res.writeHead(307, { location: `${target.url}open_api/v1.3/event/track/` });
      res.end();
    });
    try {
      const api = tiktokEventsApi({ rootUrl: redirecting.url.replace(/\/$/, "") });
      expect(api.rootUrl).toBe(redirecting.url);
      const answer = await api.track(new SecretValue(TOKEN), {
        event_source: "web",
        event_source_id: "C4A1B2C3D4E5F6G7H8I9",
        test_event_code: "TEST1",
        data: [],
      });
      expect(answer).toMatchObject({ httpStatus: 307, json: undefined });
      expect(elsewhere).toEqual([]);
    } finally {
      for (const { server } of [target, redirecting]) await new Promise((resolve) => server.close(resolve));
    }
  });

  it("says a root URL that is not one is not a URL, without sending anything", async () => {
    const error = await rejection(
      tiktokEventsApi({ rootUrl: "not a url" }).track(new SecretValue(TOKEN), {
        event_source: "web",
        event_source_id: "C4A1B2C3D4E5F6G7H8I9",
        test_event_code: "TEST1",
        data: [],
      }),
    );
    expect(error.message).toContain("SGTM_TIKTOK_API_ROOT_URL is not a URL");
    expect(error.message).not.toContain(TOKEN);
  });
});
