import { QuotaLimiter, REAL_QUOTA, SimulatedClock, withResilience } from "../../src/gtm/client/resilient";
import { type GtmApi, GtmApiError, type Tag } from "../../src/gtm/core/api";

/** A GtmApi whose methods are supplied per test; anything else throws. */
function stubApi(overrides: Partial<GtmApi>): GtmApi {
  return new Proxy(overrides as GtmApi, {
    get: (target, key) =>
      (target as unknown as Record<string | symbol, unknown>)[key] ??
      (() => {
        throw new Error(`unexpected call ${String(key)}`);
      }),
  });
}

const rateLimited = () => new GtmApiError("quota", 403, ["rateLimitExceeded"], "GET", "x");
const dropped = () => new GtmApiError("socket hang up", undefined, [], "POST", "x");

describe("QuotaLimiter", () => {
  it("lets 25 calls through per 100 s window and makes the 26th wait for the window to slide", async () => {
    const clock = new SimulatedClock();
    const limiter = new QuotaLimiter(REAL_QUOTA, clock);
    for (let i = 0; i < 25; i++) await limiter.acquire("call");
    expect(clock.now()).toBe(0);
    await limiter.acquire("call 26");
    expect(clock.now()).toBe(100_000);
  });

  it("reports each wait for quota", async () => {
    const clock = new SimulatedClock();
    const waits: string[] = [];
    const limiter = new QuotaLimiter({ requests: 2, windowMs: 10_000 }, clock, (w) =>
      waits.push(`${w.reason} ${w.ms}`),
    );
    for (let i = 0; i < 3; i++) await limiter.acquire("call");
    expect(waits).toEqual(["quota 10000"]);
  });

  it("spaces a long run at 0.25 requests per second on average", async () => {
    const clock = new SimulatedClock();
    const limiter = new QuotaLimiter(REAL_QUOTA, clock);
    for (let i = 0; i < 100; i++) await limiter.acquire("call");
    expect(clock.now()).toBe(300_000); // calls 1-25 at t=0, 26-50 at 100 s, ..., 76-100 at 300 s
  });
});

describe("withResilience", () => {
  it("waits long after throttling answers (from 10 s, half to all of the cap) and briefly after server errors", async () => {
    const clock = new SimulatedClock();
    const failures = [rateLimited(), new GtmApiError("boom", 503, [], "GET", "x"), rateLimited()];
    const api = withResilience(
      stubApi({
        list: async () => {
          const next = failures.shift();
          if (next) throw next;
          return [] as never;
        },
      }),
      { clock, random: () => 0.5, baseDelayMs: 1000 },
    );
    await expect(api.list("tags", "ws")).resolves.toEqual([]);
    // 10 s x 0.75, then the 503's own backoff (1 s x 0.5), then 20 s x 0.75.
    expect(clock.sleeps).toEqual([7_500, 500, 15_000]);
  });

  it.each([
    // The last wait is cut to what is left of the three windows: 300 s in all, never more.
    [0, [5, 10, 20, 40, 50, 50, 50, 50, 25]],
    [1, [10, 20, 40, 80, 100, 50]],
  ])("keeps retrying a throttled call for three windows, never less than 100 s (random %d)", async (r, seconds) => {
    const clock = new SimulatedClock();
    const waits: string[] = [];
    let calls = 0;
    const api = withResilience(
      stubApi({
        list: async () => {
          calls++;
          throw new GtmApiError("Quota exceeded", 429, ["rateLimitExceeded"], "GET", "x");
        },
      }),
      { clock, random: () => r, onWait: (w) => waits.push(`${w.reason} ${w.ms}`) },
    );
    await expect(api.list("tags", "ws")).rejects.toThrow("Quota exceeded");
    expect(clock.sleeps).toEqual(seconds.map((s) => s * 1000));
    expect(clock.now()).toBe(300_000);
    expect(calls).toBe(seconds.length + 1);
    expect(waits).toEqual(seconds.map((s) => `throttled ${s * 1000}`));
  });

  it("a throttling answer holds the shared limiter: the process's other requests wait too", async () => {
    const clock = new SimulatedClock();
    const limiter = new QuotaLimiter(REAL_QUOTA, clock);
    let throttled = true;
    const otherRequest: Promise<void>[] = [];
    const heard: string[] = [];
    const api = withResilience(
      stubApi({
        list: async () => {
          if (!throttled) return [] as never;
          throttled = false;
          throw rateLimited();
        },
      }),
      {
        clock,
        limiter,
        random: () => 1,
        // While the throttled call starts its wait, another call of the process asks the limiter.
        onWait: () =>
          otherRequest.push(limiter.acquire("other call", (w) => heard.push(`${w.reason} ${w.ms}`))),
      },
    );
    await api.list("tags", "ws");
    await Promise.all(otherRequest);
    expect(heard).toEqual(["quota 10000"]);
  });

  it("does not retry a plain 400", async () => {
    let calls = 0;
    const api = withResilience(
      stubApi({
        list: async () => {
          calls++;
          throw new GtmApiError("bad", 400, ["badRequest"], "GET", "x");
        },
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.list("tags", "ws")).rejects.toThrow("bad");
    expect(calls).toBe(1);
  });

  it("re-lists after an ambiguous create failure instead of creating a duplicate", async () => {
    const stored: Tag[] = [];
    let creates = 0;
    const api = withResilience(
      stubApi({
        create: async (_kind, _ws, body) => {
          creates++;
          stored.push({ ...body, tagId: "7" });
          throw dropped(); // committed, but the answer was lost
        },
        list: async () => stored as never,
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.create("tags", "ws", { name: "TikTok" })).resolves.toMatchObject({ tagId: "7" });
    expect(creates).toBe(1);
  });

  it("retries a create refused by the rate limiter without re-listing (nothing was committed)", async () => {
    let creates = 0;
    const api = withResilience(
      stubApi({
        create: async (_kind, _ws, body) => {
          creates++;
          if (creates === 1) throw rateLimited();
          return { ...body, tagId: "8" };
        },
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.create("tags", "ws", { name: "TikTok" })).resolves.toMatchObject({ tagId: "8" });
  });

  it("retries the container reads on 429 and 5xx", async () => {
    const clock = new SimulatedClock();
    const failures = [
      new GtmApiError("quota", 429, [], "GET", "c"),
      new GtmApiError("boom", 500, [], "GET", "c"),
    ];
    const failFirst = async <T>(answer: T) => {
      const next = failures.shift();
      if (next) throw next;
      return answer;
    };
    const api = withResilience(
      stubApi({
        getContainer: () => failFirst({ usageContext: ["server"] }),
        getContainerSnippet: () => failFirst({ containerConfig: "x" }),
      }),
      { clock },
    );
    await expect(api.getContainer("c")).resolves.toEqual({ usageContext: ["server"] });
    failures.push(new GtmApiError("quota", 403, ["rateLimitExceeded"], "GET", "c:snippet"));
    await expect(api.getContainerSnippet("c")).resolves.toEqual({ containerConfig: "x" });
    expect(clock.sleeps).toHaveLength(3);
  });

  it("a container update whose answer was lost is found by its new fingerprint, not repeated", async () => {
    let stored = { name: "c", fingerprint: "1", taggingServerUrls: [] as string[] };
    let updates = 0;
    const api = withResilience(
      stubApi({
        updateContainer: async (_path, body) => {
          updates++;
          stored = { ...stored, taggingServerUrls: body.taggingServerUrls ?? [], fingerprint: "2" };
          throw dropped(); // committed, but the answer was lost
        },
        getContainer: async () => stored,
      }),
      { clock: new SimulatedClock() },
    );
    const result = await api.updateContainer("c", { name: "c", taggingServerUrls: ["https://a"] }, "1");
    expect(result).toMatchObject({ fingerprint: "2", taggingServerUrls: ["https://a"] });
    expect(updates).toBe(1);
  });

  it("does not retry a container update refused for its fingerprint (409)", async () => {
    let updates = 0;
    const api = withResilience(
      stubApi({
        updateContainer: async () => {
          updates++;
          throw new GtmApiError("Fingerprint mismatch", 409, ["conflict"], "PUT", "c");
        },
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.updateContainer("c", { name: "c" }, "1")).rejects.toMatchObject({ status: 409 });
    expect(updates).toBe(1);
  });

  it("retries a bulk update only when throttled; after anything else the caller reads back", async () => {
    const answers = [rateLimited(), dropped()];
    let calls = 0;
    const api = withResilience(
      stubApi({
        bulkUpdate: async () => {
          calls++;
          throw answers.shift();
        },
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.bulkUpdate("ws", [])).rejects.toThrow("socket hang up");
    expect(calls).toBe(2);
  });

  it("treats a 404 on a retried delete as done", async () => {
    const answers = [dropped(), new GtmApiError("gone", 404, ["notFound"], "DELETE", "x")];
    const api = withResilience(
      stubApi({
        remove: async () => {
          throw answers.shift();
        },
      }),
      { clock: new SimulatedClock() },
    );
    await expect(api.remove("tags", "ws/tags/1")).resolves.toBeUndefined();
  });
});
