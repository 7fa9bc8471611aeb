/**
 * WhatsApp (Graph API) error codes: which are worth retrying and what each means for an agent.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */

/** Throttling and Meta-side trouble: the same request may well succeed later. */
const retryableCodes = new Set([
  1, // API unknown
  2, // API service
  4, // API too many calls
  17, // API user too many calls
  341, // application limit reached
  80007, // rate limit issues
  130429, // Cloud API throughput reached
  131000, // something went wrong
  131016, // service unavailable
  131056, // too many messages to one customer too quickly
  131057, // account in maintenance mode
  133004, // server temporarily unavailable
]);

export const WINDOW_CLOSED_CODE = 131047;

const reasons: Record<number, string> = {
  0: "WhatsApp could not authenticate Parley. An admin needs to check the WhatsApp access token.",
  3: "This WhatsApp account is not allowed to use this feature.",
  10: "Parley's WhatsApp access token lacks the permission to send messages. An admin needs to fix it.",
  190: "Parley's WhatsApp access token has expired or was revoked. An admin needs to renew it.",
  368: "WhatsApp has temporarily restricted this business number for policy reasons.",
  130429: "WhatsApp's sending limit for this number was reached.",
  131000: "WhatsApp had an internal problem.",
  131005: "WhatsApp refused access for this number.",
  131008: "The message was missing something WhatsApp requires.",
  131009: "WhatsApp did not accept one of the message's values.",
  131016: "WhatsApp was temporarily unavailable.",
  131021: "A business cannot message its own number.",
  131026:
    "WhatsApp could not deliver this message: the number may not use WhatsApp, or the customer needs to update the app or accept WhatsApp's terms.",
  131031: "This business's WhatsApp account is locked.",
  131042: "WhatsApp refused the message because of a payment problem on the business account.",
  131047: "The 24-hour window has closed; send an approved template.",
  131048: "WhatsApp limited this number because too many of its messages were reported as spam.",
  131049:
    "WhatsApp held this marketing message back to limit how many the customer receives. Try again later or another way.",
  131050: "The customer has chosen not to receive marketing messages from this business.",
  131051: "WhatsApp does not support this message type.",
  131052: "WhatsApp could not download the media from the customer.",
  131053: "WhatsApp could not accept the media file.",
  131056: "Too many messages were sent to this customer in a short time.",
  131057: "This business's WhatsApp account is in maintenance.",
  132000: "The template's parameters do not match what WhatsApp approved.",
  132001: "WhatsApp does not know this template in this language.",
  132005: "The template text is too long once its parameters are filled in.",
  132007: "The template's content breaks WhatsApp's policy.",
  132012: "A template parameter has the wrong format.",
  132015: "WhatsApp has paused this template because of low quality.",
  132016: "WhatsApp has disabled this template.",
  133010: "This business number is not registered with WhatsApp.",
};

export function isRetryableWhatsAppError(code: number | undefined, httpStatus?: number): boolean {
  if (code !== undefined && retryableCodes.has(code)) return true;
  if (code !== undefined && reasons[code] !== undefined) return false;
  return httpStatus === undefined || httpStatus === 429 || httpStatus >= 500;
}

/** A sentence an agent can act on, for a WhatsApp error code (Meta's own title as the fallback). */
export function describeWhatsAppError(code: number | undefined, title?: string | null): string {
  const known = code === undefined ? undefined : reasons[code];
  if (known) return known;
  if (title) return `WhatsApp refused the message: ${title}${code === undefined ? "" : ` (error ${code})`}.`;
  return code === undefined
    ? "WhatsApp refused the message."
    : `WhatsApp refused the message (error ${code}).`;
}
