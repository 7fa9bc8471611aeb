import type { Executor } from "@/lib/db";
import {
  detectSensitiveRequest,
  sensitiveRequestWarning,
  type SensitiveRequestFinding,
} from "@/lib/policy/sensitive-data";
import { recordAudit } from "../audit";
import type { Ctx } from "../context";
import { PolicyBlockedError } from "../errors";

/** The `details.reason` of the 422 the composer recognises and answers with "Send anyway". */
export const SENSITIVE_REQUEST_REASON = "sensitive_request";

export interface SensitiveCheck {
  findings: SensitiveRequestFinding[];
  warning: string | null;
}

/** What an agent's outgoing texts (body, caption, template parameters and rendered body) ask for. */
export function inspectOutgoingTexts(texts: readonly (string | null | undefined)[]): SensitiveCheck {
  const findings = texts.flatMap((text) => (text ? detectSensitiveRequest(text) : []));
  return { findings, warning: sensitiveRequestWarning(findings) };
}

/**
 * Refuses (422) a reply that asks the customer for a password, PIN, one-time code, card number, CVV
 * or bank login unless the agent confirmed it (`confirmSensitive: true`). Nothing is written when
 * refused; a confirmed send is audited by `auditSensitiveSend` in the send's transaction.
 */
export function guardSensitiveRequest(check: SensitiveCheck, confirmed: boolean): void {
  if (check.findings.length === 0 || confirmed) return;
  throw new PolicyBlockedError(check.warning ?? "This message seems to ask the customer for a secret.", {
    reason: SENSITIVE_REQUEST_REASON,
    kinds: [...new Set(check.findings.map((finding) => finding.kind))],
    findings: check.findings,
    confirmWith: { confirmSensitive: true },
  });
}

/** The audit row for a send that went out despite the warning: which kinds, never the text. */
export async function auditSensitiveSend(
  tx: Executor,
  ctx: Ctx,
  check: SensitiveCheck,
  target: { messageId: string; conversationId: string },
): Promise<void> {
  if (check.findings.length === 0) return;
  await recordAudit(tx, ctx, {
    action: "message.sensitive_confirmed",
    targetType: "message",
    targetId: target.messageId,
    details: {
      conversationId: target.conversationId,
      kinds: [...new Set(check.findings.map((finding) => finding.kind))],
      matches: check.findings.map((finding) => finding.match),
    },
  });
}
