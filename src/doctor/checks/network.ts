/**
 * The first-party domain from outside: DNS of both hosts points at the load balancer's address, the
 * tagging host answers `/healthy` over HTTPS, and a host the load balancer does not know never reaches
 * the tagging server (docs/facts/sgtm-on-cloud-run.md#first-party-domain).
 */
import { cloudRunServiceName, httpsProxyName, loadBalancerAddressName } from "../../naming/stack-resources";
import { type Check, type DoctorContext, fail, pass, skip } from "../context";
import { codeOf, firstLine, googleFailure, transportFailure } from "../errors";
import type { CheckOutcome, HttpsAnswer, HttpsRequest } from "../types";

const DNS_TTL = 300;
/** A name no host rule of the kit's URL map matches (`.invalid` is reserved: it never resolves). */
export const UNKNOWN_HOST = "sgtm-doctor-unknown-host.invalid";
const HEALTH_PATH = "/healthy";

/** `GET /healthy` answers `ok` on the tagging server (docs/facts/sgtm-on-cloud-run.md#the-two-services). */
export function isTaggingServerHealth(answer: HttpsAnswer): boolean {
  return answer.status === 200 && answer.body.trim() === "ok";
}

function loadBalancerAddressFailure(error: unknown, ctx: DoctorContext): CheckOutcome {
  const { project } = ctx.env.gcp;
  const name = loadBalancerAddressName(ctx.env.stackName);
  return googleFailure(error, {
    what: `the load balancer address ${name} (project ${project})`,
    notFound: {
      detail: `the load balancer address ${name} does not exist in project ${project}`,
      fix: `deploy the stack: npx cdktf deploy ${ctx.env.stackName}`,
    },
    permission: `the identity running doctor needs roles/compute.viewer on project ${project}`,
  });
}

function dnsCheck(role: "tagging" | "preview"): Check {
  return {
    name: `dns-${role}`,
    doc: {
      passesWhen: "the host's A records are exactly the load balancer's address",
      usualFix: `set \`<host>. ${DNS_TTL} IN A <address>\` (or deploy, with \`domain.dnsZone\`)`,
    },
    async run(ctx) {
      const host = ctx.env.domain[role];
      const [resolved, address] = await Promise.allSettled([
        ctx.deps.dns.resolveA(host),
        ctx.loadBalancerAddress(),
      ]);
      const ip = address.status === "fulfilled" ? address.value : undefined;
      const record = `${host}. ${DNS_TTL} IN A ${ip ?? "<the load balancer address>"}`;
      const zone = ctx.env.domain.dnsZone;
      const setRecord = zone
        ? `the stack writes ${record} in Cloud DNS zone ${zone.name} (project ${zone.project}): run npx cdktf deploy ${ctx.env.stackName}, and check that the domain's registrar delegates to that zone`
        : `at the domain's DNS provider, set ${record}${ip ? "" : ` (the address is the ip_address output of npx cdktf output ${ctx.env.stackName})`}`;
      if (resolved.status === "rejected") {
        const code = codeOf(resolved.reason);
        if (code === "ENOTFOUND" || code === "ENODATA")
          return fail(`${host} has no A record (${code})`, setRecord);
        return fail(
          `${host} could not be resolved (${code ?? firstLine(resolved.reason)})`,
          `check that the domain's DNS servers answer (dig ${host} A), then run doctor again`,
        );
      }
      const found = [...resolved.value].sort();
      if (address.status === "rejected") {
        const reason = loadBalancerAddressFailure(address.reason, ctx);
        return fail(`${host} -> ${found.join(", ")}; ${reason.detail}`, reason.fix);
      }
      if (found.length === 1 && found[0] === ip) return pass(`${host} -> ${ip}, the load balancer address`);
      if (found.includes(ip as string)) {
        return fail(
          `${host} -> ${found.join(", ")}: besides the load balancer address ${ip} it points elsewhere, so part of the traffic misses the tagging server`,
          `remove the A records other than ${ip} (keep ${record})`,
        );
      }
      return fail(`${host} -> ${found.join(", ")}, not the load balancer address ${ip}`, setRecord);
    },
  };
}

/** Why an HTTPS request got no answer, in the words of the check that depends on it. */
function httpsFailure(error: unknown, url: string, host: string, ctx: DoctorContext): CheckOutcome {
  const code = codeOf(error) ?? "";
  const why = `${code ? `${code}: ` : ""}${firstLine(error)}`;
  if (["ENOTFOUND", "ENODATA", "EAI_AGAIN"].includes(code)) {
    return fail(
      `${url}: ${host} does not resolve (${code})`,
      "create the DNS record first (see dns-tagging)",
    );
  }
  if (isTlsFailure(code)) {
    return fail(
      `${url}: no valid TLS certificate for ${host} (${why})`,
      "see the certificate check: until the certificate is ACTIVE the load balancer has none for this host",
    );
  }
  if (code === "ECONNREFUSED") {
    return fail(
      `${url}: nothing accepts HTTPS there (${why})`,
      `${host} points at an address without the stack's :443 forwarding rule: see dns-tagging, and deploy the stack (npx cdktf deploy ${ctx.env.stackName})`,
    );
  }
  if (code === "ETIMEDOUT") {
    return fail(
      `${url} did not answer in time (${why})`,
      `see dns-tagging (an address nobody serves), then the logs of Cloud Run service ${cloudRunServiceName(ctx.env.stackName, "tagging")}`,
    );
  }
  return transportFailure(error, url, host);
}

function isTlsFailure(code: string): boolean {
  return (
    /^(ERR_TLS_|ERR_SSL_|CERT_)/.test(code) ||
    [
      "EPROTO",
      "ECONNRESET",
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      "SELF_SIGNED_CERT_IN_CHAIN",
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    ].includes(code)
  );
}

export const httpsHealthyCheck: Check = {
  name: "https-healthy",
  doc: {
    passesWhen: `\`https://<tagging host>${HEALTH_PATH}\` answers \`ok\` over a valid certificate`,
    usualFix: "by what failed: DNS, certificate, the Cloud Run service behind a 502",
  },
  async run(ctx) {
    const host = ctx.env.domain.tagging;
    const url = `https://${host}${HEALTH_PATH}`;
    const service = cloudRunServiceName(ctx.env.stackName, "tagging");
    const { project, region } = ctx.env.gcp;
    let answer: HttpsAnswer;
    try {
      answer = await ctx.deps.https.get({ connect: host, path: HEALTH_PATH, verifyCertificate: true });
    } catch (error) {
      return httpsFailure(error, url, host, ctx);
    }
    if (isTaggingServerHealth(answer)) return pass(`${url} answered ok`);
    if ([502, 503, 504].includes(answer.status)) {
      return fail(
        `${url} answered HTTP ${answer.status}: the load balancer cannot reach the tagging server`,
        [
          `check Cloud Run service ${service}: deployed and ready (gcloud run services describe ${service} --region ${region} --project ${project}),`,
          "open to the load balancer (tagging.invoker), and starting without errors in its logs (a container-config secret without a version stops it)",
        ].join("\n"),
      );
    }
    if (answer.status === 404) {
      return fail(
        `${url} answered HTTP 404: the load balancer does not send ${host} to the tagging server`,
        `deploy the stack (npx cdktf deploy ${ctx.env.stackName}): its URL map routes ${host} to the tagging server`,
      );
    }
    return fail(
      `${url} answered HTTP ${answer.status}${answer.body.trim() ? ` "${answer.body.trim().slice(0, 60)}"` : ""}, not the tagging server's "ok"`,
      `something other than the tagging server answers for ${host}: check dns-tagging, then the logs of Cloud Run service ${service}`,
    );
  },
};

/**
 * The URL map's default service answers every Host header and the bare address: unless unknown hosts
 * are routed elsewhere, scanners and other sites' traffic run the container. Probes `/healthy` (which
 * only the tagging server answers with `ok`) with an unknown Host header and, when the load balancer
 * address is known, on the bare address.
 */
export const httpsUnknownHostCheck: Check = {
  name: "https-unknown-host",
  doc: {
    passesWhen: "a request for an unknown host, and one to the bare address, do not reach the tagging server",
    usualFix: "route hosts other than yours away from the tagging server in the URL map",
  },
  async run(ctx) {
    const host = ctx.env.domain.tagging;
    const probes: { label: string; request: HttpsRequest }[] = [
      {
        label: `Host: ${UNKNOWN_HOST}`,
        request: { connect: host, path: HEALTH_PATH, hostHeader: UNKNOWN_HOST, verifyCertificate: true },
      },
    ];
    const ip = await ctx.loadBalancerAddress().catch(() => undefined);
    if (ip) {
      // The bare address has no certificate of its own: this probe is about routing, not TLS.
      probes.push({
        label: `the bare address https://${ip}`,
        request: { connect: ip, path: HEALTH_PATH, verifyCertificate: false },
      });
    }
    const answers = await Promise.all(
      probes.map(({ label, request }) =>
        ctx.deps.https.get(request).then(
          (answer) => ({ label, answer, error: undefined }),
          (error: unknown) => ({ label, answer: undefined, error }),
        ),
      ),
    );
    const reached = answers.filter((a) => a.answer && isTaggingServerHealth(a.answer));
    if (reached.length > 0) {
      return fail(
        `${reached.map((a) => a.label).join(" and ")} reached the tagging server (${HEALTH_PATH} answered ok)`,
        [
          `the HTTPS URL map ${httpsProxyName(ctx.env.stackName)} sends hosts other than ${host} and ${ctx.env.domain.preview} to the tagging server (its default service):`,
          `route them elsewhere (an answer of its own, e.g. a 404), then npx cdktf deploy ${ctx.env.stackName}`,
        ].join("\n"),
      );
    }
    const answered = answers.filter((a) => a.answer);
    if (answered.length === 0) {
      return skip(
        `the load balancer could not be reached (${answers.map((a) => firstLine(a.error)).join("; ")})`,
        "fix https-healthy first, then run doctor again",
      );
    }
    const notProbed = ip
      ? ""
      : " (the bare address was not probed: the load balancer address could not be read)";
    return pass(
      `${answered.map((a) => `${a.label} answered HTTP ${a.answer?.status}`).join(", ")}: not the tagging server${notProbed}`,
    );
  },
};

export const dnsTaggingCheck = dnsCheck("tagging");
export const dnsPreviewCheck = dnsCheck("preview");
