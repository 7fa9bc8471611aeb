import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consentKeywordKey,
  matchConsentKeyword,
  normalizeForKeywordMatch,
  optInKeywords,
  optOutKeywords,
  type ConsentKeywordMatch,
} from "@/lib/policy/opt-out-keywords";

// Real-world shapes of the messages customers send; `null` means "an ordinary message".
const messages: Array<[label: string, text: string, expected: ConsentKeywordMatch | null]> = [
  // The plain keywords
  ["STOP", "STOP", "opt_out"],
  ["stop in lower case", "stop", "opt_out"],
  ["Stop in title case", "Stop", "opt_out"],
  ["sTOp in mixed case", "sTOp", "opt_out"],
  ["СТОП", "СТОП", "opt_out"],
  ["стоп in lower case", "стоп", "opt_out"],
  ["UNSUBSCRIBE", "UNSUBSCRIBE", "opt_out"],
  ["Unsubscribe with a full stop", "Unsubscribe.", "opt_out"],
  ["CANCEL", "CANCEL", "opt_out"],
  ["END", "END", "opt_out"],
  ["quit", "quit", "opt_out"],
  ["OPT OUT", "OPT OUT", "opt_out"],
  ["opt-out", "opt-out", "opt_out"],
  ["optout", "optout", "opt_out"],
  ["Opt   out with inner spaces", "Opt   out", "opt_out"],
  ["opt_out with an underscore", "opt_out", "opt_out"],
  ["ОТПИСАТЬСЯ", "ОТПИСАТЬСЯ", "opt_out"],
  ["отписаться in lower case", "отписаться", "opt_out"],
  ["START", "START", "opt_in"],
  ["start", "start", "opt_in"],
  ["СТАРТ", "СТАРТ", "opt_in"],
  ["Subscribe", "Subscribe", "opt_in"],

  // Whitespace, punctuation, quotes
  ["surrounding whitespace and newlines", "  \n\tSTOP \n ", "opt_out"],
  ["exclamation marks", "STOP!!!", "opt_out"],
  ["a question mark", "stop?", "opt_out"],
  ["an ellipsis", "stop…", "opt_out"],
  ["Russian guillemets", "«СТОП»", "opt_out"],
  ["double quotes", '"STOP"', "opt_out"],
  ["parentheses and dots", "(stop.)", "opt_out"],
  ["letters separated by dots", "S.T.O.P.", "opt_out"],
  ["letters separated by spaces", "s t o p", "opt_out"],
  ["a repeated keyword", "STOP STOP STOP", "opt_out"],
  ["two different opt-out keywords", "stop, unsubscribe!", "opt_out"],
  ["non-breaking spaces", "\u00A0STOP\u00A0", "opt_out"],
  ["an ideographic space", "\u3000СТОП\u3000", "opt_out"],

  // Emoji
  ["a stop-sign emoji after", "STOP 🛑", "opt_out"],
  ["emoji on both sides", "🙅‍♀️ stop 🙅‍♀️", "opt_out"],
  ["a skin-toned emoji", "STOP ✋🏽", "opt_out"],
  ["a ZWJ family sequence", "👨‍👩‍👧 СТОП", "opt_out"],
  ["an emoji with a variation selector", "❤️ start ❤️", "opt_in"],
  ["a keycap emoji", "stop #️⃣", "opt_out"],
  ["a flag", "🇷🇺 стоп", "opt_out"],
  ["an emoji inside the word", "ST🛑OP", "opt_out"],
  ["only emoji", "🛑🛑🛑", null],

  // Invisible characters and styled letters
  ["a zero-width space inside", "ST\u200BOP", "opt_out"],
  ["a zero-width joiner and a word joiner", "S\u200DT\u2060OP", "opt_out"],
  ["a byte-order mark in front", "\uFEFFSTOP", "opt_out"],
  ["a soft hyphen", "UNSUB\u00ADSCRIBE", "opt_out"],
  ["a right-to-left mark", "\u200FSTOP\u200E", "opt_out"],
  ["full-width letters", "ＳＴＯＰ", "opt_out"],
  ["full-width Cyrillic with full-width punctuation", "ＳＴＡＲＴ！", "opt_in"],
  ["mathematical bold letters", "𝐒𝐓𝐎𝐏", "opt_out"],
  ["circled letters", "ⓈⓉⓄⓅ", "opt_out"],
  ["negative squared letters", "🆂🆃🅾🅿", "opt_out"],
  ["small capitals", "ꜱᴛᴏᴘ", "opt_out"],
  ["combining diacritics", "S̶T̶O̶P̶", "opt_out"],
  ["a Cyrillic о inside optout", "оptout", "opt_out"],

  // Look-alikes across scripts
  ["Latin C, T, O with Cyrillic П", "CTOП", "opt_out"],
  ["Latin S with Cyrillic Т, О, Р", "SТОР", "opt_out"],
  ["Latin STOP with a Cyrillic О", "STОP", "opt_out"],
  ["Latin STOP with a Greek omicron", "STΟP", "opt_out"],
  ["СТАРТ typed with Latin letters", "CTAPT", "opt_in"],
  ["START with Cyrillic А and Т", "SТАRТ", "opt_in"],
  ["ОТПИСАТЬСЯ with Latin O, T, C, A", "OTПИCATЬCЯ", "opt_out"],
  ["lower-case mixed-script стоп", "cтoп", "opt_out"],
  ["the Cyrillic dze in ЅТОР", "ЅТОР", "opt_out"],

  // Digit zero folds for opt-outs only
  ["ST0P with a zero", "ST0P", "opt_out"],
  ["CT0П with a zero", "CT0П", "opt_out"],
  ["0PT 0UT with zeros", "0PT 0UT", "opt_out"],
  ["a zero does not make an opt-in", "ST4RT", null],

  // Sentences that merely contain a keyword
  ["please don't stop my order", "please don't stop my order", null],
  ["stop sending me this?", "stop sending me this?", null],
  ["STOP please", "STOP please", null],
  ["please stop", "please stop", null],
  ["cancel my order", "cancel my order", null],
  ["I want to cancel", "I want to cancel", null],
  ["the end of the week", "the end of the week", null],
  ["не стоп", "не стоп", null],
  ["стоп-кран", "стоп кран сорвали", null],
  ["хочу отписаться от рассылки", "хочу отписаться от рассылки", null],
  ["start of my subscription", "when does my subscription start", null],
  ["a keyword glued to a word", "stopped", null],
  ["a keyword with a number", "STOP 2", null],
  ["a look-alike that is not a keyword", "СТОР", null],
  ["both an opt-out and an opt-in", "STOP START", null],
  ["unsubscribe is not subscribe", "un subscribe", "opt_out"],
  ["an empty message", "", null],
  ["only whitespace", "   \n ", null],
  ["only punctuation", "?!...", null],
  ["an ordinary question", "Where is my parcel?", null],
  ["a Russian question", "Где мой заказ?", null],
];

describe("matchConsentKeyword", () => {
  it.each(messages)("reads %s as %s", (_label, text, expected) => {
    expect(matchConsentKeyword(text)).toBe(expected);
  });

  it("has a table of at least sixty real-world messages", () => {
    expect(messages.length).toBeGreaterThanOrEqual(60);
  });

  it("matches every built-in keyword as written", () => {
    for (const keyword of optOutKeywords) expect(matchConsentKeyword(keyword)).toBe("opt_out");
    for (const keyword of optInKeywords) expect(matchConsentKeyword(keyword)).toBe("opt_in");
  });

  it("matches the inbox's own keywords the same way as the built-in ones", () => {
    const options = { extraOptOut: ["ХВАТИТ", "no more"], extraOptIn: ["ВЕРНУТЬ"] };
    expect(matchConsentKeyword("хватит!!", options)).toBe("opt_out");
    expect(matchConsentKeyword("XBATИT", options)).toBe("opt_out");
    expect(matchConsentKeyword("No-More 🙅", options)).toBe("opt_out");
    expect(matchConsentKeyword("вернуть", options)).toBe("opt_in");
    expect(matchConsentKeyword("хватит", {})).toBeNull();
    expect(matchConsentKeyword("хватит уже присылать", options)).toBeNull();
  });

  it("ignores an inbox keyword that is only emoji or punctuation", () => {
    expect(matchConsentKeyword("👍", { extraOptOut: ["👍", "!!!"] })).toBeNull();
  });

  it("lets an opt-out win when an inbox lists the same word as an opt-in", () => {
    expect(matchConsentKeyword("stop", { extraOptIn: ["STOP"] })).toBe("opt_out");
  });
});

describe("normalizeForKeywordMatch", () => {
  it("folds case, width, emoji, punctuation and invisible characters", () => {
    expect(normalizeForKeywordMatch("  ＳＴＯＰ!!! 🛑 ")).toBe("stop");
    expect(normalizeForKeywordMatch("Opt-Out,\u200B please")).toBe("opt out please");
    expect(normalizeForKeywordMatch("«Ёлки»  —  палки")).toBe("елки палки");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 40 }),
          fc.string({ unit: "binary", maxLength: 40 }),
        ),
        (text) => {
          const once = normalizeForKeywordMatch(text);
          expect(normalizeForKeywordMatch(once)).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never leaves leading or trailing spaces or doubled spaces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        const normalized = normalizeForKeywordMatch(text);
        expect(normalized).toBe(normalized.trim());
        expect(normalized).not.toMatch(/\s\s/);
      }),
      { numRuns: 300 },
    );
  });

  it("does not change whether a keyword matches when emoji and punctuation surround it", () => {
    const noise = fc.constantFrom(" ", "!", "?", ".", "🛑", "✋🏽", "👨‍👩‍👧", "\u200B", "\u00A0", "«", "»", "❤️");
    fc.assert(
      fc.property(
        fc.constantFrom(...optOutKeywords),
        fc.array(noise, { maxLength: 5 }),
        fc.array(noise, { maxLength: 5 }),
        (keyword, before, after) => {
          expect(matchConsentKeyword(`${before.join("")}${keyword}${after.join("")}`)).toBe("opt_out");
        },
      ),
    );
  });
});

describe("consentKeywordKey", () => {
  it("gives spellings of one keyword the same key", () => {
    expect(consentKeywordKey("OPT OUT")).toBe(consentKeywordKey("opt-out"));
    expect(consentKeywordKey("СТОП")).toBe(consentKeywordKey("CTOП"));
  });

  it("is empty for a keyword made only of emoji or punctuation", () => {
    expect(consentKeywordKey("🛑!")).toBe("");
  });
});
