/**
 * Bad monitoring, budget and domain settings: each is rejected with the file, the key path, what is
 * allowed and the fix, before anything is synthesized.
 */
import { loadOk, loadProblems, VALID_CLIENT, VALID_ENV } from "./helpers";

interface Case {
  readonly name: string;
  readonly env: string;
  readonly client?: string;
  readonly file: "staging.yaml" | "client.yaml";
  readonly path: string;
  readonly expect: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: "a notification email that is not an address",
    env: `${VALID_ENV}monitoring:\n  emails: ["Ops Team <ops@shop.com>"]\n`,
    file: "staging.yaml",
    path: "monitoring.emails.0",
    expect: ["wrong format", "allowed: an email address", "Fix: write one plain address per entry"],
  },
  {
    name: "a channel id in the wrong form",
    env: `${VALID_ENV}monitoring:\n  channels: ["1234567890"]\n`,
    file: "staging.yaml",
    path: "monitoring.channels.0",
    expect: [
      'got "1234567890"',
      "allowed: a channel id such as projects/shop-sgtm-prod/notificationChannels/1234567890",
      "Fix: copy the full name from `gcloud beta monitoring channels list",
    ],
  },
  {
    name: "a budget without a billing account (none in client.yaml either)",
    env: `${VALID_ENV}budget:\n  monthlyAmount: 150\n`,
    file: "staging.yaml",
    path: "budget.billingAccount",
    expect: ["a budget needs the billing account", "Fix: set budget.billingAccount"],
  },
  {
    name: "a billing account id in the wrong form",
    env: `${VALID_ENV}budget:\n  monthlyAmount: 150\n  billingAccount: billingAccounts/01ABCD-23EF45-6789AB\n`,
    file: "staging.yaml",
    path: "budget.billingAccount",
    expect: ["allowed: a billing account id such as 01ABCD-23EF45-6789AB", "without billingAccounts/"],
  },
  {
    name: "ipv6 with a DNS zone that cannot hold AAAA records",
    env: VALID_ENV.replace(
      "tagging: sgtm.shop.com",
      "tagging: sgtm.shop.com\n  ipv6: true\n  dnsZone: { name: reverse, dnsName: 0.0.10.in-addr.arpa. }",
    ),
    file: "staging.yaml",
    path: "domain.ipv6",
    expect: ["reverse-lookup zone", "AAAA", "Fix: set domain.dnsZone to the zone that holds"],
  },
  {
    name: "a certificate switch without certificate-manager",
    env: VALID_ENV.replace("tagging: sgtm.shop.com", "tagging: sgtm.shop.com\n  certificateSwitch: prepare"),
    file: "staging.yaml",
    path: "domain.certificateSwitch",
    expect: ["Fix: set domain.certificates: certificate-manager"],
  },
  {
    name: "a certificate revision that is not a number nor per host",
    env: VALID_ENV.replace("tagging: sgtm.shop.com", 'tagging: sgtm.shop.com\n  certificateRevision: "2"'),
    file: "staging.yaml",
    path: "domain.certificateRevision",
    expect: ["not a certificate revision", "a whole number from 0 to 99, or per host"],
  },
  {
    name: "a next certificate revision two above the serving one",
    env: VALID_ENV.replace(
      "tagging: sgtm.shop.com",
      "tagging: sgtm.shop.com\n  certificateRevision: 1\n  nextCertificateRevision: 3",
    ),
    file: "staging.yaml",
    path: "domain.nextCertificateRevision",
    expect: ["the serving one's revision plus one", "Fix: set domain.nextCertificateRevision: 2"],
  },
  {
    name: "a label that redefines the kit's",
    env: `${VALID_ENV}labels:\n  environment: prod\n`,
    file: "staging.yaml",
    path: "labels.environment",
    expect: ["the kit sets the label environment itself", "Fix: remove labels.environment"],
  },
];

describe("bad operations settings are rejected with file, key path, what is allowed and the fix", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const lines = loadProblems(c.env, c.client ?? VALID_CLIENT);
    const line = lines.find((l) => l.includes(c.file) && l.includes(` ${c.path}: `));
    if (line === undefined) throw new Error(`no problem at ${c.file} ${c.path}; got:\n${lines.join("\n")}`);
    expect(line).toMatch(/:\d+:\d+ /);
    for (const text of c.expect) expect(line).toContain(text);
  });

  it("takes the billing account from client.yaml", () => {
    const client = `${VALID_CLIENT}budget:\n  billingAccount: 01ABCD-23EF45-6789AB\n`;
    const env = loadOk(`${VALID_ENV}budget:\n  monthlyAmount: 150\n`, client);
    expect(env.budget).toEqual({ billingAccount: "01ABCD-23EF45-6789AB", monthlyAmount: 150 });
  });
});

describe("operations defaults", () => {
  it("monitors production, and other tiers only when asked or given a channel", () => {
    expect(loadOk(VALID_ENV).monitoring).toEqual({
      enabled: false,
      emails: [],
      channels: [],
      errorRatio: 0.05,
    });
    expect(loadOk(`${VALID_ENV}monitoring:\n  emails: [ops@shop.com]\n`).monitoring.enabled).toBe(true);
    const production = VALID_ENV.replace("tier: staging", "tier: production");
    expect(loadOk(`${production}tiktok:\n  consent: block-if-denied\n`).monitoring.enabled).toBe(true);
  });

  it("gives armor: {} a 600-a-minute rate limit and no host rule, and no armor without the key", () => {
    expect(loadOk(`${VALID_ENV}armor: {}\n`).armor).toEqual({
      requestsPerMinutePerIp: 600,
      hostAllowlist: false,
    });
    expect(loadOk(VALID_ENV).armor).toBeUndefined();
  });

  it("labels with client, environment and managed-by, plus the file's own labels", () => {
    expect(loadOk(`${VALID_ENV}labels:\n  team: analytics\n`).labels).toEqual({
      team: "analytics",
      client: "shop",
      environment: "staging",
      "managed-by": "sgtm-tiktok-kit",
    });
  });
});
