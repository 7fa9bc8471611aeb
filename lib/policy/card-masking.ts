/**
 * Masks card numbers (Luhn-valid, 13–19 digits, last four kept), labelled CVV/PIN/one-time codes
 * and IBANs that customers send. One "•" per masked character, so offsets hold in both texts and
 * masking twice changes nothing. Decisions: docs/architecture.md, "Messaging policy".
 */

export const maskedSecretKinds = ["card_number", "cvv", "pin", "one_time_code", "iban"] as const;
export type MaskedSecretKind = (typeof maskedSecretKinds)[number];

export type MaskedSecret = {
  kind: MaskedSecretKind;
  /** Where the masked span starts (UTF-16 offset, the same in the original and the masked text). */
  index: number;
  length: number;
  /** For cards and IBANs: the characters left visible. */
  last4?: string;
};

export type MaskResult = { text: string; findings: MaskedSecret[] };

export const maskCharacter = "•";

/** The Luhn (mod 10) check used by payment cards; false for anything but a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

export function maskSecrets(text: string): MaskResult {
  const findings: MaskedSecret[] = [];
  const masked = text.split("");
  const taken = new Array<boolean>(text.length).fill(false);

  const claim = (start: number, end: number): boolean => {
    for (let index = start; index < end; index++) if (taken[index]) return false;
    for (let index = start; index < end; index++) taken[index] = true;
    return true;
  };
  const maskRange = (start: number, end: number, keepLast: number): string => {
    const positions: number[] = [];
    for (let index = start; index < end; index++)
      if (/[\p{L}\p{N}]/u.test(text[index] ?? "")) positions.push(index);
    const kept = positions.slice(Math.max(positions.length - keepLast, 0));
    for (const index of positions.slice(0, positions.length - kept.length)) masked[index] = maskCharacter;
    return kept.map((index) => text[index]).join("");
  };

  // IBANs first: their digits could otherwise read as a card number.
  for (const iban of findIbans(text)) {
    if (!claim(iban.start, iban.end)) continue;
    const last4 = maskRange(iban.start, iban.end, 4);
    findings.push({ kind: "iban", index: iban.start, length: iban.end - iban.start, last4 });
  }
  for (const card of findCardNumbers(text)) {
    if (!claim(card.start, card.end)) continue;
    const last4 = maskRange(card.start, card.end, 4);
    findings.push({ kind: "card_number", index: card.start, length: card.end - card.start, last4 });
  }
  for (const { kind, regex } of labelledSecrets) {
    for (const match of text.matchAll(regex)) {
      const value = match.groups?.value ?? "";
      const start = match.index + match[0].length - value.length;
      const end = start + value.length;
      if (!claim(start, end)) continue;
      maskRange(start, end, 0);
      findings.push({ kind, index: start, length: value.length });
    }
  }

  findings.sort((a, b) => a.index - b.index);
  return { text: masked.join(""), findings };
}

// ---------------------------------------------------------------------------------------------
// Card numbers

// Digit groups joined by one or two spaces (incl. no-break and figure spaces) or one dash.
const digitRuns = /\d+(?:(?:[ \u00A0\u2007\u202F]{1,2}|[-\u2010\u2011\u2013])\d+)*/g;
const groupSplit = /\d+/g;

type Range = { start: number; end: number };

function findCardNumbers(text: string): Range[] {
  const cards: Range[] = [];
  for (const run of text.matchAll(digitRuns)) {
    const groups = [...run[0].matchAll(groupSplit)].map((group) => ({
      start: run.index + group.index,
      end: run.index + group.index + group[0].length,
      digits: group[0],
    }));

    const candidates: Array<Range & { firstGroup: number; lastGroup: number; rank: number }> = [];
    for (let first = 0; first < groups.length; first++) {
      let digits = "";
      for (let last = first; last < groups.length; last++) {
        digits += groups[last]?.digits ?? "";
        if (digits.length > 19) break;
        if (digits.length < 13 || !luhnValid(digits) || /^(\d)\1*$/.test(digits)) continue;
        const lengths = groups.slice(first, last + 1).map((group) => group.digits.length);
        // Of overlapping readings of one run, prefer one grouped like a card, then the longest:
        // it hides the most digits.
        const rank = (looksLikeCardGrouping(lengths) ? 0 : 100) - digits.length;
        candidates.push({
          start: groups[first]?.start ?? 0,
          end: groups[last]?.end ?? 0,
          firstGroup: first,
          lastGroup: last,
          rank,
        });
      }
    }

    candidates.sort((a, b) => a.rank - b.rank || a.start - b.start);
    const chosen: typeof candidates = [];
    for (const candidate of candidates) {
      const overlaps = chosen.some(
        (other) => candidate.firstGroup <= other.lastGroup && other.firstGroup <= candidate.lastGroup,
      );
      if (!overlaps) chosen.push(candidate);
    }
    cards.push(...chosen.map(({ start, end }) => ({ start, end })));
  }
  return cards;
}

/** One block of digits, fours (4-4-4-4, 4-4-4-4-3), Amex and Diners (4-6-5, 4-6-4), or 6-13. */
function looksLikeCardGrouping(lengths: readonly number[]): boolean {
  if (lengths.length === 1) return true;
  if (lengths.slice(0, -1).every((length) => length === 4)) return true;
  const shape = lengths.join("-");
  return shape === "4-6-5" || shape === "4-6-4" || shape === "6-13";
}

// ---------------------------------------------------------------------------------------------
// IBANs

// Upper case only, as banks print them: lower-case look-alikes in chat are rarely IBANs.
const ibanCandidates = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/gu;

function findIbans(text: string): Range[] {
  const ibans: Range[] = [];
  for (const match of text.matchAll(ibanCandidates)) {
    // The pattern may run on into the next word ("…7654 32 THANKS"): try the longest valid prefix.
    for (let end = match[0].length; end >= 15; end--) {
      const next = match[0][end];
      // Cut only between groups, never inside one.
      if (match[0][end - 1] === " " || (next !== undefined && next !== " ")) continue;
      if (ibanValid(match[0].slice(0, end))) {
        ibans.push({ start: match.index, end: match.index + end });
        break;
      }
    }
  }
  return ibans;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(value: string): boolean {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

// ---------------------------------------------------------------------------------------------
// Labelled short secrets: the label, an optional "is"/":"/"—", then the value.

const labelGlue = String.raw`(?:\s*(?:[:=#№]|is|это|—|–|-)\s*|\s+)`;

function labelled(label: string, digits: string): RegExp {
  return new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?:${label})${labelGlue}(?<value>\d{${digits}})(?!\d)`,
    "giu",
  );
}

const labelledSecrets: Array<{ kind: MaskedSecretKind; regex: RegExp }> = [
  {
    kind: "cvv",
    regex: labelled(
      String.raw`(?:[cс]vv2?|cvc2?|cvn|csc|cav2|card security code|security code|код безопасности)(?:[\s-]*(?:code|код\p{L}*|number|номер))?`,
      "3,4",
    ),
  },
  {
    kind: "pin",
    regex: labelled(
      String.raw`(?:pin|пин)(?:[\s-]*(?:code|код\p{L}*|number))?|pin-?код\p{L}*|пинкод\p{L}*`,
      "4,6",
    ),
  },
  {
    kind: "one_time_code",
    regex: labelled(
      String.raw`one[- ]?time (?:code|password|passcode)|otp|verification code|confirmation code|sms code|code from (?:the )?(?:sms|text)` +
        String.raw`|код\p{L}* из (?:смс|sms|сообщения)|код\p{L}* подтверждения|(?:смс|sms)[- ]?код\p{L}*|одноразов\p{L}* (?:код|пароль)|проверочн\p{L}* код`,
      "4,8",
    ),
  },
];
