/**
 * Recognises a customer message that is, as a whole, an opt-out (STOP) or opt-in (START) keyword,
 * however it is spelled, decorated or disguised. The decisions (whole message only, look-alikes,
 * "0" for "O" in opt-outs only) are in docs/architecture.md, "Messaging policy".
 */

export const optOutKeywords = [
  "STOP",
  "СТОП",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "OPT OUT",
  "OPT-OUT",
  "OPTOUT",
  "ОТПИСАТЬСЯ",
] as const;

export const optInKeywords = ["START", "СТАРТ", "SUBSCRIBE"] as const;

export const consentKeywordMatches = ["opt_out", "opt_in"] as const;
export type ConsentKeywordMatch = (typeof consentKeywordMatches)[number];

export type ConsentKeywordOptions = {
  /** The inbox's own opt-out keywords, matched like the built-in ones. */
  extraOptOut?: readonly string[];
  /** The inbox's own opt-in keywords, matched like the built-in ones. */
  extraOptIn?: readonly string[];
};

// Zero-width spaces and joiners, variation selectors, emoji tag characters, soft hyphens,
// bidi controls, the Hangul filler: all invisible, so they must not hide a keyword.
const invisible = /\p{Default_Ignorable_Code_Point}/gu;
const combiningMarks = /\p{M}/gu;
const notLetterOrDigit = /[^\p{L}\p{N}]+/gu;

/**
 * The form keywords are matched in: NFKC, invisible characters and diacritics gone, lower case,
 * runs of punctuation, emoji and whitespace as one space, trimmed. Idempotent; not for display.
 */
export function normalizeForKeywordMatch(text: string): string {
  return text
    .normalize("NFKC")
    .replace(invisible, "")
    .toLowerCase()
    .normalize("NFD")
    .replace(combiningMarks, "")
    .normalize("NFKC")
    .replace(foldableStyledLetters, foldStyledLetter)
    .replace(notLetterOrDigit, " ")
    .trim();
}

// Negative circled and negative squared Latin capitals (🅐, 🅰, 🆂) have no NFKC decomposition.
const foldableStyledLetters = /[\u{1F150}-\u{1F169}\u{1F170}-\u{1F189}]/gu;
function foldStyledLetter(letter: string): string {
  const codePoint = letter.codePointAt(0) ?? 0;
  const base = codePoint >= 0x1f170 ? 0x1f170 : 0x1f150;
  return String.fromCharCode(0x61 + codePoint - base);
}

/**
 * Latin, Cyrillic and Greek look-alikes, lower-cased (Cyrillic Н → н stands for "H"), and small
 * capitals.
 */
const lookAlikes: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  і: "i",
  ј: "j",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ү: "y",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  ζ: "z",
  η: "h",
  ι: "i",
  κ: "k",
  μ: "m",
  ν: "n",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "y",
  χ: "x",
  // Small capitals used by "fancy text" generators
  ᴀ: "a",
  ʙ: "b",
  ᴄ: "c",
  ᴅ: "d",
  ᴇ: "e",
  ꜰ: "f",
  ɢ: "g",
  ʜ: "h",
  ɪ: "i",
  ᴊ: "j",
  ᴋ: "k",
  ʟ: "l",
  ᴍ: "m",
  ɴ: "n",
  ᴏ: "o",
  ᴘ: "p",
  ʀ: "r",
  ꜱ: "s",
  ᴛ: "t",
  ᴜ: "u",
  ᴠ: "v",
  ᴡ: "w",
  ʏ: "y",
  ᴢ: "z",
};

/**
 * The key a keyword is compared by ("OPT OUT", "opt-out" and "OPTOUT" share one). Use it to refuse
 * an inbox keyword that is empty (only emoji or punctuation) or already taken.
 */
export function consentKeywordKey(text: string): string {
  return skeleton(normalizeForKeywordMatch(text), false);
}

function skeleton(normalized: string, foldDigitZero: boolean): string {
  let key = "";
  for (const char of normalized) {
    if (char === " ") continue;
    if (foldDigitZero && char === "0") key += "o";
    else key += lookAlikes[char] ?? char;
  }
  return key;
}

const builtInOptOutKeys = optOutKeywords.map((keyword) => consentKeywordKey(keyword));
const builtInOptInKeys = optInKeywords.map((keyword) => consentKeywordKey(keyword));

/**
 * "opt_out" when the message as a whole is an opt-out keyword (or several), "opt_in" when it is an
 * opt-in keyword, otherwise null. A message mixing both ("STOP START") is neither.
 */
export function matchConsentKeyword(
  text: string,
  options: ConsentKeywordOptions = {},
): ConsentKeywordMatch | null {
  const normalized = normalizeForKeywordMatch(text);
  if (normalized === "") return null;

  const optOutKeys = withExtraKeys(builtInOptOutKeys, options.extraOptOut, true);
  if (isSequenceOf(skeleton(normalized, true), optOutKeys)) return "opt_out";

  const optInKeys = withExtraKeys(builtInOptInKeys, options.extraOptIn, false);
  if (isSequenceOf(skeleton(normalized, false), optInKeys)) return "opt_in";

  return null;
}

function withExtraKeys(
  builtIn: readonly string[],
  extra: readonly string[] | undefined,
  foldDigitZero: boolean,
): readonly string[] {
  const keys = builtIn.map((key) => (foldDigitZero ? key.replaceAll("0", "o") : key));
  for (const keyword of extra ?? []) {
    const key = skeleton(normalizeForKeywordMatch(keyword), foldDigitZero);
    if (key !== "") keys.push(key);
  }
  return keys;
}

/** Whether `key` is one or more of `keys` back to back ("stopstop", "stopunsubscribe"). */
function isSequenceOf(key: string, keys: readonly string[]): boolean {
  if (key === "") return false;
  // reachable[i]: the first i characters are a sequence of keywords.
  const reachable = new Array<boolean>(key.length + 1).fill(false);
  reachable[0] = true;
  for (let start = 0; start < key.length; start++) {
    if (!reachable[start]) continue;
    for (const candidate of keys) {
      if (candidate !== "" && key.startsWith(candidate, start)) reachable[start + candidate.length] = true;
    }
  }
  return reachable[key.length] === true;
}
