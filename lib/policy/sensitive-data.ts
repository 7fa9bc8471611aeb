/**
 * Warns an agent before sending a message that asks for a password, PIN, one-time code, full card
 * number, CVV or online-banking login (English and Russian). Per sentence: a secret is named,
 * something asks for it, the asking is not negated, and the secret is not merely the topic.
 */

export const sensitiveRequestKinds = [
  "password",
  "pin",
  "one_time_code",
  "card_number",
  "cvv",
  "bank_login",
] as const;
export type SensitiveRequestKind = (typeof sensitiveRequestKinds)[number];

export type SensitiveRequestFinding = {
  kind: SensitiveRequestKind;
  /** The words naming the secret, as written. */
  match: string;
  /** Where `match` starts in the message (UTF-16 offset), for highlighting. */
  index: number;
};

const kindLabels: Record<SensitiveRequestKind, string> = {
  password: "a password",
  pin: "a PIN",
  one_time_code: "a one-time code",
  card_number: "a full card number",
  cvv: "a card security code (CVV)",
  bank_login: "an online-banking login",
};

/** The warning the composer shows, or null when nothing was found. */
export function sensitiveRequestWarning(findings: readonly SensitiveRequestFinding[]): string | null {
  const kinds = sensitiveRequestKinds.filter((kind) => findings.some((finding) => finding.kind === kind));
  if (kinds.length === 0) return null;
  const labels = kinds.map((kind) => kindLabels[kind]);
  const listed = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
  return (
    `This message seems to ask the customer for ${listed}. ` +
    "Customers must never be asked for these in a chat: whoever has them can take over the customer's " +
    "account or money. Send it only if you are sure it does not ask for them; sending is recorded."
  );
}

// ---------------------------------------------------------------------------------------------
// Patterns. Written with plain spaces, which stand for any run of whitespace; `\b` is ASCII-only
// in JavaScript, so word edges are Unicode look-arounds.

const edgeBefore = String.raw`(?<![\p{L}\p{N}])`;
// Inside look-behinds whitespace is bounded: an unbounded run read backwards at every position
// of a long message would make matching quadratic.
const sp = String.raw`\s{1,3}`;
const edgeAfter = String.raw`(?![\p{L}\p{N}])`;

function pattern(source: string, flags = "giu"): RegExp {
  // A space outside a character class means "whitespace".
  const spaced = source.replace(/ (?![^[]*\])/g, String.raw`\s+`);
  return new RegExp(`${edgeBefore}(?:${spaced})${edgeAfter}`, flags);
}

const w = String.raw`\p{L}*`; // the rest of a Russian word: its case ending
const cardAdjectivesEn = "(?:credit |debit |bank |banking |payment |visa |mastercard )?";
const notLoyaltyCard = String.raw`(?<!(?:loyalty|membership|rewards?|club|member|id|identity|library|sim|discount|bonus|student|insurance|health|gift|business)${sp})`;
const notLastDigitsEn = String.raw`(?<!(?:last|first|final)${sp}(?:4|four|6|six)${sp}(?:digits|numbers)${sp}(?:of${sp}|on${sp}|from${sp})?(?:your${sp}|the${sp})?)`;
const notLastFewEn = String.raw`(?<!(?:last|first|final)${sp}(?:4|four|6|six)${sp})`;
const notLastDigitsRu = String.raw`(?<!(?:последн|первы)\p{L}*${sp}(?:4|четыр\p{L}*|6|шест\p{L}*)${sp}цифр\p{L}*${sp})`;
const backOfCardRu = String.raw`(?:на|с) (?:обороте|оборот\p{L}* сторон\p{L}*|обратн\p{L}* сторон\p{L}*|оборота|обороте карт\p{L}*)`;
const bankRu = String.raw`(?:(?:онлайн|интернет)[- ]?банк${w}|мобильн${w} банк${w}|банковск${w} приложени${w}|приложени${w} банк${w}|личн${w} кабинет${w} банк${w}|сбербанк${w}(?: онлайн)?|сбер${w}(?: онлайн)?|тинькофф${w}|т-банк${w}|альфа[- ]?банк${w}|втб(?: онлайн)?|банк${w})`;

// `bare`: a word that names a secret only when it is being handed over ("send me the code").
type SecretPattern = { kind: SensitiveRequestKind; regex: RegExp; bare?: boolean };

const secretPatterns: SecretPattern[] = [
  // bank_login first: it contains words (password, логин) the narrower kinds also match.
  {
    kind: "bank_login",
    regex: pattern(
      String.raw`(?:online|internet|mobile|net|web)[- ]?bank(?:ing)?(?: app)? (?:login|log-in|log in|username|user name|user id|credentials|password|passcode|details|access|pin)(?: details)?` +
        String.raw`|bank(?:ing)?(?: app)? (?:login|log-in|username|user name|credentials|password|passcode|sign-in details|login details)` +
        String.raw`|(?:login|log-in|sign-in) (?:details|credentials|info) (?:for|to) (?:your )?(?:online |internet |mobile )?bank(?:ing)?(?: app)?` +
        String.raw`|(?:логин${w}(?: и парол${w})?|парол${w}|данн${w} (?:для )?входа|доступ${w}|учётн${w} данн${w}|учетн${w} данн${w}) (?:от|для|к|в|во) (?:вашего |вашему |вашей |своего |вашем )?${bankRu}`,
    ),
  },
  {
    kind: "one_time_code",
    regex: pattern(
      String.raw`one[- ]?time (?:pass)?(?:code|password|passcode|pin)s?|otps?` +
        String.raw`|(?:verification|confirmation|authentication|authori[sz]ation|security|login|log-in|sign-in|2fa|two[- ]factor|2-step|two[- ]step|sms|text|texted|otp|(?:4|6|four|six)[- ]digit) (?:code|pin)s?` +
        String.raw`|code (?:that |which )?(?:we|I|the bank) (?:just )?(?:sent|texted)(?: you)?` +
        String.raw`|code (?:that |which )?(?:you )?(?:just )?(?:got|received|have received|'ve received|see|can see)` +
        String.raw`|code (?:from|in) (?:the |your |our |that )?(?:sms|text|message|text message|email|e-mail|app|authenticator|bank)` +
        String.raw`|одноразов${w} (?:код${w}|парол${w})` +
        String.raw`|(?:смс|sms)[- ]?код${w}|проверочн${w} код${w}` +
        String.raw`|(?:код${w}|парол${w}) (?:из|в|с) (?:смс|sms|сообщени${w}|пуш${w}|push${w}|уведомлени${w}|письм${w}|приложени${w}|банк${w})` +
        String.raw`|код${w} (?:подтверждени${w}|верификаци${w}|авторизаци${w}|для входа)` +
        String.raw`|код${w},? (?:который|что) (?:вам |к вам )?(?:при(?:шё|ше)л|прид(?:ё|е)т|отправ${w})`,
    ),
  },
  {
    kind: "cvv",
    regex: pattern(
      String.raw`[cс]v[vcс]2?(?:[- ]?(?:code|код${w}))?|cvn|csc|cav2` +
        String.raw`|card (?:verification|security) (?:code|value|number)` +
        String.raw`|security code (?:on|at|from) the back` +
        String.raw`|(?:3|three)[- ]digit (?:security )?(?:code|number)` +
        String.raw`|(?:code|digits|numbers|number) (?:on|at|from) the back(?: of (?:your |the )?(?:card|it))?` +
        String.raw`|код${w} (?:безопасности|${backOfCardRu})` +
        String.raw`|(?:(?:3|три|тр(?:ё|е)х)(?:значн${w})? )?(?:цифр${w}|код${w}) ${backOfCardRu}` +
        String.raw`|тр(?:ё|е)хзначн${w} код${w}`,
    ),
  },
  {
    kind: "card_number",
    regex: pattern(
      String.raw`${notLastDigitsEn}(?:full |whole |complete |entire |long )?${cardAdjectivesEn}${notLoyaltyCard}card(?:'s)? (?:number|no\.?|num|#|details|info|information|data)s?` +
        String.raw`|${notLastFewEn}(?:number|digits|numbers) (?:on|from|of) (?:the front of )?(?:your |the )${cardAdjectivesEn}card` +
        String.raw`|(?:16|sixteen)[- ]digits?(?: (?:card )?number)?|(?:all|the) (?:16|sixteen) (?:digits|numbers)` +
        String.raw`|(?:photo|picture|pic|scan|image|copy) of (?:both sides of |the front and back of )?(?:your |the )(?:credit|debit|bank|payment) card` +
        String.raw`|(?:photo|picture|pic|scan|image) of (?:both sides of|the front and back of) (?:your |the )card` +
        String.raw`|${notLastDigitsRu}номер${w} (?:(?:вашей|своей|банковск${w}|кредитн${w}|дебетов${w}|платёжн${w}|платежн${w}) )*карт${w}(?! (?:лояльност${w}|клиента|магазина))` +
        String.raw`|(?:данн${w}|реквизит${w}) (?:(?:вашей|своей|банковск${w}|кредитн${w}|дебетов${w}) )*карт${w}` +
        String.raw`|(?:16|шестнадцат${w}) цифр${w}` +
        String.raw`|${notLastDigitsRu}цифр${w} (?:на|с) (?:лицев${w} сторон${w} )?карт${w}` +
        String.raw`|фот\p{L}* (?:(?:вашей|своей|банковск${w}|кредитн${w}|дебетов${w}) )*карт${w} с (?:двух|обеих) сторон` +
        String.raw`|фот\p{L}* (?:банковск${w}|кредитн${w}|дебетов${w}) карт${w}`,
    ),
  },
  {
    kind: "pin",
    regex: pattern(
      String.raw`pin[- ]?(?:code|number)s?|(?:your|ur|the|card|card's|atm|debit|bank|secret|(?:4|four)[- ]digit) pin` +
        String.raw`|(?<=(?:send|give|tell|text|share|type|provide|confirm|me|us)${sp})pin(?! (?:it|this|that|the|a|to|on|up|me|us))` +
        String.raw`|(?:пин|pin)[- ]?код${w}|пин`,
    ),
  },
  // "PIN" in capitals on its own; lower-case "pin" is a verb too ("pin this message").
  { kind: "pin", regex: pattern("PIN", "gu") },
  {
    kind: "password",
    regex: pattern(
      String.raw`pass(?:word|code|phrase)s?(?![- ](?:reset|recovery|change|manager|strength|policy|requirements|rules|link|page|screen|field|hint))|pass word` +
        String.raw`|login (?:details|credentials|info|information)|credentials` +
        String.raw`|парол${w}|данн${w} (?:для )?входа|учётн${w} данн${w}|учетн${w} данн${w}`,
    ),
  },
  {
    kind: "one_time_code",
    bare: true,
    regex: pattern(
      String.raw`(?<!(?:promo|promotional|discount|coupon|voucher|error|tracking|product|zip|postal|post|area|country|dial|dialing|dialling|qr|bar|source|gift|gift${sp}card|referral|invite|invitation|booking|order|item|sku|colour|color|access|door|gate|building|entry|locker|tax|vat|swift|bic|sort|branch|hs|activation|redeem|redemption|reference|status|reason|fault|diagnostic|country|currency|style|dress)${sp})codes?(?! (?:of|for|on the (?:box|label|package|parcel|screen|receipt|tag)))` +
        String.raw`|(?<!(?:штрих|qr)[- ])(?<!(?:скидочн|купонн|подарочн|почтов|товарн|трек|qr|штрих|промо)\p{L}*${sp})код(?:а|у)?(?! (?:ошибки|товара|заказа|региона|страны|города|подъезда|домофона|двери|купона|скидки|акции|активации|сертификата|на экране|на коробке|на упаковке|на этикетке|на чеке))`,
    ),
  },
];

// Something that asks.
// - directed: it asks the customer to hand the secret to us ("send me", "what's", "пришлите");
//   undirected verbs ("confirm", "provide", "укажите") may mean "use it elsewhere" instead
//   ("confirm the payment with the code in your app").
// - handsOver: a verb of sending or telling; only these make a bare "code" a one-time code
//   ("send me the code"), since "what's the code?" is as likely a promo or error code.
// - position: where the cue stands relative to the secret. Russian puts the verb either side
//   ("код пришлите"); "нужен"/"what's" after a secret describe rather than ask.
type CuePattern = {
  regex: RegExp;
  directed: boolean;
  handsOver: boolean;
  position: "before" | "after" | "either";
};

const sendVerbsEn =
  "(?:send|give|tell|share|text|type|write|read|forward|dictate|post|paste|spell|drop|reply with|respond with|message)";
const sendVerbsRu =
  String.raw`(?:(?:при|пере|вы)?шл(?:и|ите|(?:ё|е)те)|(?:при|пере|вы)слать|отправ(?:ь|ьте|ите|ить)|скин(?:ь|ьте|ете|уть)` +
  String.raw`|сообщ(?:и|ите|ить)|назов(?:и|ите|(?:ё|е)те)|назвать|скаж(?:и|ите|ете)|сказать|напиш(?:и|ите|ете)|написать` +
  String.raw`|продикт(?:уй|уйте|уете|овать)|подскаж(?:и|ите|ете)|подсказать|уточн(?:и|ите|ить)|(?:по)?делит(?:есь|ься)|поделись|перешл(?:и|ите)|да(?:й|йте)|дать|покаж(?:и|ите)|показать)`;
// Imperatives at the start of a clause ("Send your code", ", and then tell the PIN").
const clauseInitial = String.raw`(?:^\s*|[,:(—–-]\s*|(?<![\p{L}])(?:and|then|just|now|also|so|please|kindly)\s+)`;

const cuePatterns: CuePattern[] = [
  {
    directed: true,
    handsOver: true,
    position: "before",
    regex: pattern(
      String.raw`(?:can|could|would|will) (?:you|u)(?: please| kindly| just| quickly| now)? (?:${sendVerbsEn}|let (?:me|us) know|provide|confirm)` +
        String.raw`|(?:please|pls|plz|kindly)(?: just| now| also)? ${sendVerbsEn}` +
        String.raw`|${sendVerbsEn}(?: it| them| this| that)?(?: over| back)? (?:to )?(?:me|us)` +
        String.raw`|(?:need|want|ask|require) (?:you )?to (?:${sendVerbsEn}|provide|confirm)` +
        String.raw`|(?:mind|about|try) (?:sharing|sending|giving|telling|texting|reading|forwarding|typing|providing)`,
    ),
  },
  {
    directed: true,
    handsOver: true,
    position: "before",
    regex: new RegExp(String.raw`${clauseInitial}(?<verb>${sendVerbsEn})(?![\p{L}])`, "giu"),
  },
  {
    directed: true,
    handsOver: false,
    position: "before",
    regex: pattern(
      String.raw`(?:i|we)(?: will| 'll|'ll| would|'d| do| just| really| still| also)? (?:need|require|must have|want|would like|'d like)(?: to (?:have|get|see|know|check|verify|confirm))?` +
        String.raw`|(?:i|we) (?:must |need to |have to |will |'ll |am going to |'m going to )?ask (?:you )?for` +
        String.raw`|(?:what|which)(?:'s| is| are| was| were)|whats` +
        String.raw`|(?:may|can|could) (?:i|we) (?:have|get|ask (?:you )?for|see)|let (?:me|us) (?:have|know|see)` +
        String.raw`|(?:waiting|wait) for|awaiting`,
    ),
  },
  // "type it here", "введите сюда": typing is a request only when it is into this chat.
  {
    directed: true,
    handsOver: true,
    position: "before",
    regex: pattern(
      String.raw`(?:type|enter|input|write|put|paste|введите|ввести|впишите|вставьте|наберите)(?=[^.!?\n]{0,60}(?:(?<!not${sp}|n't${sp})here|below|in (?:this|the|our) chat|in (?:your|a) (?:reply|message)|сюда|здесь|ниже|в (?:этот |наш )?чат|в ответ|в сообщени))`,
    ),
  },
  {
    directed: false,
    handsOver: false,
    position: "before",
    regex: new RegExp(String.raw`${clauseInitial}(?<verb>confirm|provide|verify|submit)(?![\p{L}])`, "giu"),
  },
  { directed: true, handsOver: true, position: "either", regex: pattern(sendVerbsRu) },
  {
    directed: true,
    handsOver: false,
    position: "before",
    regex: pattern(
      String.raw`как(?:ой|ая|ое|ие|ого|ую)(?: у вас| ваш${w}| там| был| была| было)?|(?:мне |нам )?(?:нуж(?:ен|на|но|ны)|необходим${w}|требуется)|прошу(?: вас)?|жд(?:у|(?:ё|е)м)`,
    ),
  },
  {
    directed: false,
    handsOver: false,
    position: "either",
    regex: pattern(String.raw`подтверд(?:и|ите|ить)|укаж(?:и|ите)|указать|предостав(?:ь|ьте|ить)`),
  },
  // "Your card number, please." / "Пароль, пожалуйста." / "share your code with me"
  {
    directed: true,
    handsOver: false,
    position: "after",
    regex: pattern(String.raw`please|pls|plz|пожалуйста|плиз|(?:with|to) (?:me|us)`),
  },
];

const negations = pattern(
  String.raw`never|not|no|no one|nobody|none|neither|nor|without|avoid|refrain|can't|cannot|won't|don't|doesn't|didn't|shouldn't|mustn't|isn't|aren't|[a-z]+n't` +
    String.raw`|не|ни|никогда|никому|никто|нельзя|незачем|нет`,
);
// Said politely with "not", but still asking: "don't hesitate to send", "не могли бы вы прислать".
const politeNotNegations = pattern(
  String.raw`(?:don't|do not) (?:hesitate|forget)(?: to)?|why (?:don't|not)(?: you)?|if you don't mind|(?:don't|do not) worry|no worries|wouldn't mind` +
    String.raw`|не (?:могли|мог|могла|можете)(?: бы| ли)?|не подскаж(?:ете|ите)|не затруднит|не сложно|не трудно|не забудьте|не забудь|не стесняйтесь|не волнуйтесь|не переживайте|не беспокойтесь|не против`,
);
// Words that turn "the secret" into a topic rather than the thing asked for.
const topicWords = pattern(
  String.raw`reset|resetting|change|changed|changing|update|updated|create|set up|setup|choose|recover|restore|forgot|forget|remember|protect|keep|store|save|use|using|wrong|problem|issue|happen|happens|happened|error|trouble|expire|expired|expires|resend|re-send|request|receive|received|get a|generate|link|whether|if|how|why|when|once|after|as soon as|screenshot|arrive|arrived|work|works|working` +
    String.raw`|сброс${w}|смен${w}|помен${w}|измен${w}|восстанов${w}|придума${w}|созда${w}|установ${w}|обнов${w}|забыл${w}|забуд${w}|запомн${w}|храни${w}|использ${w}|получ${w}|при(?:шё|ше)л ли|дош(?:ё|е)л${w}|ли|когда|если|как|почему|зачем|где|запрос${w}|ошибк${w}|проблем${w}|ссылк${w}|скриншот${w}|работа${w}`,
);
// After the secret: the customer is to use it somewhere else, not to give it to us.
const usedElsewhere = pattern(
  String.raw`(?:in|on|via|at|into|through) (?:the |your |our )?(?:app|application|banking app|bank app|mobile app|website|site|browser|terminal|atm|cash machine|account)` +
    String.raw`|в (?:приложени${w}|банкомат${w}|терминал${w}|личном кабинете)|на сайте`,
);
// "Has the code arrived?", "код из смс пришёл?": asking whether it came, not what it is.
const statusOfSecret =
  /^\s*(?:ли\s+)?(?:уже\s+)?(?:при(?:шё|ше)л|дош(?:ё|е)л|получен\p{L}*|подош(?:ё|е)л|работает|arrived|came|has arrived|come through|worked|works|expired)(?![\p{L}])/iu;
const ruInstrumental = /(?:код|парол|пин-код|пинкод)(?:ом|ем)(?![\p{L}])/iu;
const ruShareVerb = /дел/iu;
const clauseBoundaryChars = /[,;:—–()]|\s-\s/gu;
const clauseBoundaryWords = pattern(
  String.raw`but|however|though|although|instead|otherwise|so|then|но|однако|а|поэтому|тогда|иначе|зато`,
);
const questionFiller = pattern(
  String.raw`and|the|your|please|also|now|ok|okay|so|then|what about|а|и|ваш${w}|пожалуйста|тоже|также|ещё|еще|так|ну|теперь`,
);

type Span = { start: number; end: number; text: string };
type Cue = Span & Omit<CuePattern, "regex">;
type Secret = Span & { kind: SensitiveRequestKind; bare: boolean };

function findAll(regex: RegExp, text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(regex)) {
    // Clause-initial cues consume the punctuation or conjunction before the verb, which ends the match.
    const verb = match.groups?.verb;
    const skip = verb === undefined ? 0 : match[0].length - verb.length;
    spans.push({ start: match.index + skip, end: match.index + match[0].length, text: match[0].slice(skip) });
  }
  return spans;
}

function contains(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  const found = regex.test(text);
  regex.lastIndex = 0;
  return found;
}

/** Splits into sentences, keeping their offsets and whether they end with a question mark. */
function sentencesOf(text: string): Array<{ text: string; start: number; isQuestion: boolean }> {
  const sentences: Array<{ text: string; start: number; isQuestion: boolean }> = [];
  for (const match of text.matchAll(/[^.!?…;\n]+[.!?…;\n]*/gu)) {
    sentences.push({ text: match[0], start: match.index, isQuestion: /\?/u.test(match[0]) });
  }
  return sentences;
}

function findSecrets(sentence: string): Secret[] {
  const found: Secret[] = [];
  for (const { kind, regex, bare } of secretPatterns) {
    for (const span of findAll(regex, sentence)) found.push({ ...span, kind, bare: bare ?? false });
  }
  // A "security code" is the CVV when the sentence is about a card.
  for (const secret of found) {
    if (secret.kind === "one_time_code" && /^security/iu.test(secret.text) && /card|back/iu.test(sentence)) {
      secret.kind = "cvv";
    }
  }
  // Keep the widest match where matches overlap ("online banking password" over "password").
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: Secret[] = [];
  for (const secret of found) {
    const previous = kept.at(-1);
    if (previous && secret.start < previous.end) {
      if (secret.end - secret.start > previous.end - previous.start) kept[kept.length - 1] = secret;
      continue;
    }
    kept.push(secret);
  }
  return kept;
}

function findCues(sentence: string): Cue[] {
  const cues: Cue[] = [];
  for (const { regex, ...cue } of cuePatterns) {
    for (const span of findAll(regex, sentence)) cues.push({ ...span, ...cue });
  }
  return cues.sort((a, b) => a.start - b.start);
}

/** Where clauses start: after commas, dashes, "but", "но"… */
function clauseStarts(sentence: string): number[] {
  const starts = [0];
  for (const regex of [clauseBoundaryChars, clauseBoundaryWords]) {
    for (const match of sentence.matchAll(regex)) starts.push(match.index + match[0].length);
  }
  return starts.sort((a, b) => a - b);
}

function isNegated(sentence: string, from: number, to: number): boolean {
  const scope = sentence.slice(from, to).replace(politeNotNegations, (polite) => " ".repeat(polite.length));
  return contains(negations, scope);
}

/** The cue that asks for `secret`, if any: the nearest one before it, else one just after it. */
function cueFor(sentence: string, secret: Secret, cues: readonly Cue[]): Cue | undefined {
  const before = cues
    .filter((cue) => cue.position !== "after" && cue.end <= secret.start && secret.start - cue.end <= 80)
    .at(-1);
  if (before) return before;
  return cues.find(
    (cue) => cue.position !== "before" && cue.start >= secret.end && cue.start - secret.end <= 50,
  );
}

function isRequested(sentence: string, starts: readonly number[], secret: Secret, cue: Cue): boolean {
  const cueBefore = cue.end <= secret.start;
  const first = cueBefore ? cue : secret;
  // The clause, or its last 80 characters: negation and topic words sit close to what they govern.
  const clause = Math.max(starts.findLast((start) => start <= first.start) ?? 0, first.start - 80);
  const between = cueBefore ? sentence.slice(cue.end, secret.start) : sentence.slice(secret.end, cue.start);

  if (isNegated(sentence, clause, cue.start)) return false;
  if (/(?<![\p{L}])(?:no one|nobody|никому|никто)(?![\p{L}])/iu.test(between)) return false;
  if (/^[^.!?…;]{0,40}?(?:with|to) (?:no one|nobody)(?![\p{L}])/iu.test(sentence.slice(secret.end)))
    return false;

  if (contains(topicWords, between)) return false;
  if (statusOfSecret.test(sentence.slice(secret.end))) return false;
  if (!cueBefore && contains(topicWords, sentence.slice(clause, secret.start))) return false;
  if (/(?:^|\s)(?:my|our|мой|моя|моего|моей|мою|наш\p{L}*)\s+$/iu.test(sentence.slice(0, secret.start))) {
    return false;
  }
  if (ruInstrumental.test(secret.text) && !ruShareVerb.test(cue.text)) return false;
  if (secret.bare && !(cue.handsOver && cueBefore)) return false;

  if (!cue.directed) {
    const rest = sentence.slice(secret.end);
    if (contains(usedElsewhere, rest)) return false;
    if (/(?:with|using|via|by)\s+(?:the\s+|your\s+|a\s+)?$/iu.test(sentence.slice(cue.end, secret.start))) {
      return false;
    }
  }
  return true;
}

/** "CVV?", "And your PIN?", "А код из смс?": the secret alone, asked as a question. */
function isBareQuestion(sentence: string, secrets: readonly Secret[]): boolean {
  let rest = sentence;
  for (const secret of [...secrets].sort((a, b) => b.start - a.start)) {
    rest = rest.slice(0, secret.start) + " " + rest.slice(secret.end);
  }
  rest = rest.replace(questionFiller, " ");
  return !/[\p{L}\p{N}]/u.test(rest);
}

/** The secrets an agent's message asks the customer for; empty when it asks for none. */
export function detectSensitiveRequest(text: string): SensitiveRequestFinding[] {
  const findings: SensitiveRequestFinding[] = [];
  for (const sentence of sentencesOf(text)) {
    const secrets = findSecrets(sentence.text);
    if (secrets.length === 0) continue;
    const cues = findCues(sentence.text);
    const starts = clauseStarts(sentence.text);
    const bareQuestion = sentence.isQuestion && isBareQuestion(sentence.text, secrets);
    const asked = secrets.filter((secret) => {
      const cue = cueFor(sentence.text, secret, cues);
      return cue ? isRequested(sentence.text, starts, secret, cue) : bareQuestion;
    });
    // "your online banking login and password" is one bank login, not a bank login and a password.
    const isBankLogin = asked.some((secret) => secret.kind === "bank_login");
    for (const secret of asked) {
      if (isBankLogin && secret.kind === "password") continue;
      findings.push({ kind: secret.kind, match: secret.text, index: sentence.start + secret.start });
    }
  }
  return findings;
}
