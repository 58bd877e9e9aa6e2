/** The output boundary: registered secrets and secret-shaped text never leave the process. */
import { looksSecret, secretSpans } from "../../src/config/secret-shapes";
import { registerSecret, SCRUBBED_TEXT, scrub, scrubOutput } from "../../src/errors/scrub";
import { SecretValue } from "../../src/gtm/client/access-token";
import { capturedStream as capture } from "../cli/run-cli";

const HEX_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22";

describe("secret shapes", () => {
  test.each([
    HEX_TOKEN,
    `Bearer ${HEX_TOKEN}`,
    "Bearer ya29.a0AfH6SMBx-short-but-bearer",
    `token=${HEX_TOKEN}`,
    "access_token: abcdefghijklmnop1234",
    "aWQ9R1RNLUFCQ0RFRiZlbnY9MSZhdXRoPXh5eg==",
    "id=GTM-ABC123&env=1&auth=xyz",
  ])("%s looks secret", (value) => {
    expect(looksSecret(value)).toBe(true);
  });

  test.each([
    "acme-terraform-state-europe-west1-2024",
    "sgtm-shop-production-tiktok-token",
    "C4A1B2C3D4E5F6G7H8I9",
    "EUR",
    "user_data.email_address",
    `europe-docker.pkg.dev/cloud-tagging/gtm-cloud-image@sha256:${"ab".repeat(32)}`,
  ])("%s does not", (value) => {
    expect(looksSecret(value)).toBe(false);
  });

  test("spans keep the visible prefix and skip the kit's own sha256 digests", () => {
    const text = `Authorization: Bearer ${HEX_TOKEN}; basis sha256:${"0".repeat(64)}`;
    const spans = secretSpans(text);
    expect(spans).toHaveLength(1);
    expect(text.slice(...spans[0])).toBe(HEX_TOKEN);
  });
});

describe("scrub", () => {
  test("blanks a registered secret raw, JSON-escaped and URL-encoded, on any stream", () => {
    const secret = 'tok"en/with spaces';
    registerSecret(secret);
    const text = `${secret} ${JSON.stringify(secret)} ${encodeURIComponent(secret)}`;
    expect(scrub(text)).toBe(`${SCRUBBED_TEXT} "${SCRUBBED_TEXT}" ${SCRUBBED_TEXT}`);
  });

  test("a SecretValue registers itself", () => {
    new SecretValue("held-only-in-memory-42");
    expect(scrub("echo held-only-in-memory-42")).toBe(`echo ${SCRUBBED_TEXT}`);
  });

  test("shapes are blanked only when asked (stderr), so stdout's digests and shas stay", () => {
    const text = `token=${HEX_TOKEN}`;
    expect(scrub(text)).toBe(text);
    expect(scrub(text, { shapes: true })).toBe(`token=${SCRUBBED_TEXT}`);
  });

  test("scrubOutput wraps both streams until restored", () => {
    new SecretValue("stream-secret-value-7");
    const out = capture();
    const err = capture();
    const restore = scrubOutput({ stdout: out.stream, stderr: err.stream });
    out.stream.write(`plan stream-secret-value-7 ${HEX_TOKEN}\n`);
    err.stream.write(Buffer.from(`error stream-secret-value-7 ${HEX_TOKEN}\n`));
    restore();
    out.stream.write("stream-secret-value-7\n");
    expect(out.text()).toBe(`plan ${SCRUBBED_TEXT} ${HEX_TOKEN}\nstream-secret-value-7\n`);
    expect(err.text()).toBe(`error ${SCRUBBED_TEXT} ${SCRUBBED_TEXT}\n`);
  });
});
