import { parsePhoneNumberFromString } from "libphonenumber-js/min";

export type PhoneNormalization =
  | {
      ok: true;
      /**
       * Normalizes an international phone number to E.164. Bare digits are read as international (a
       * wa_id, or a spreadsheet that dropped the "+"); national forms ("8 912 …") are refused, not
       * guessed. Lengths are checked per country, not numbering plans, so demo +1 555 01xx numbers pass.
       */ e164: string;
      /** "79123456789", as WhatsApp's wa_id */ waId: string;
    }
  | { ok: false; message: string };

const example = "e.g. +7 912 345-67-89";

/**
 * Normalizes a phone number written in international form to E.164.
 *
 * Accepted: "+7 (912) 345-67-89", "0079123456789", and bare digits "79123456789", which are
 * read as international because that is how WhatsApp writes a wa_id and how spreadsheets drop
 * the "+". A national form ("8 912 345-67-89") is refused rather than guessed at. The number
 * must have a possible length for its country; numbering-plan validity is not required, so
 * reserved demo ranges (+1 555 01xx) work in the simulator.
 */
export function normalizePhoneE164(input: string): PhoneNormalization {
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, message: "is empty" };
  if (!/^(?:\+|00)?[\d\s().\-\u00A0]+$/.test(trimmed)) {
    return {
      ok: false,
      message: `must be a phone number in international format, with digits, spaces, brackets or dashes only (${example})`,
    };
  }
  const digits = trimmed.replace(/\D/g, "");
  const international = trimmed.startsWith("00") ? digits.slice(2) : digits;
  if (international.startsWith("0")) {
    return { ok: false, message: `must start with the country code, not 0 (${example})` };
  }
  const parsed = parsePhoneNumberFromString(`+${international}`);
  if (parsed === undefined) {
    return {
      ok: false,
      message: `is not an international phone number: start with the country code (${example}); national forms such as 8 912 … are not accepted`,
    };
  }
  if (!parsed.isPossible()) {
    return {
      ok: false,
      message: `has the wrong number of digits for country code +${parsed.countryCallingCode}`,
    };
  }
  return { ok: true, e164: parsed.number, waId: parsed.number.slice(1) };
}
