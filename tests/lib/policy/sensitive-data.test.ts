import { describe, expect, it } from "vitest";
import {
  detectSensitiveRequest,
  sensitiveRequestWarning,
  type SensitiveRequestKind,
} from "@/lib/policy/sensitive-data";

// What agents actually write. The expected kinds are those the message asks the customer for.
const requests: Array<[text: string, kinds: SensitiveRequestKind[]]> = [
  // English: asking
  ["Can you send me your password?", ["password"]],
  ["Please send your password so I can check the account.", ["password"]],
  ["what's the CVV on the back", ["cvv"]],
  ["What is the 3-digit code on the back of your card?", ["cvv"]],
  ["Could you read me the numbers on the back of the card?", ["cvv"]],
  ["Please share the one-time code we just sent you.", ["one_time_code"]],
  ["Tell me the code from the SMS and I'll finish the refund.", ["one_time_code"]],
  ["You should have received a text. What's the verification code?", ["one_time_code"]],
  ["I need your PIN to verify the card.", ["pin"]],
  ["What's your card PIN?", ["pin"]],
  ["Send me your full card number and the expiry date.", ["card_number"]],
  ["Could you give me the 16-digit number on your card?", ["card_number"]],
  ["Please send a photo of both sides of your bank card.", ["card_number"]],
  ["I'll need your online banking login and password to check the transfer.", ["bank_login"]],
  ["What are your internet banking credentials?", ["bank_login"]],
  ["Card number, expiry and CVV please.", ["card_number", "cvv"]],
  ["CVV?", ["cvv"]],
  ["And your PIN?", ["pin"]],
  ["Don't hesitate to send me your password here.", ["password"]],
  ["If you didn't get the email, just send me the code from the SMS.", ["one_time_code"]],
  ["We never ask for passwords, but for this refund please send your card number.", ["card_number"]],
  ["Type the OTP here and I'll confirm the order.", ["one_time_code"]],
  ["Open your banking app and send me the code you see in the app.", ["one_time_code"]],
  // Russian: asking
  ["Пришлите код из SMS", ["one_time_code"]],
  ["Назовите пароль", ["password"]],
  ["Скиньте номер карты полностью", ["card_number"]],
  ["Продиктуйте, пожалуйста, три цифры на обороте карты.", ["cvv"]],
  ["Какой у вас CVV-код?", ["cvv"]],
  ["Сообщите пин-код от карты.", ["pin"]],
  ["Не могли бы вы прислать номер карты?", ["card_number"]],
  ["Мне нужен логин и пароль от онлайн-банка.", ["bank_login"]],
  ["Напишите код подтверждения, который пришёл вам в SMS.", ["one_time_code"]],
  ["А код из смс?", ["one_time_code"]],
  ["Пароль, пожалуйста.", ["password"]],
  ["Код из SMS пришлите сюда.", ["one_time_code"]],
  ["Не забудьте прислать код из сообщения.", ["one_time_code"]],
  ["Поделитесь одноразовым паролем, чтобы я подтвердил заказ.", ["one_time_code"]],
  ["Скиньте фото карты с двух сторон.", ["card_number"]],
  ["Пришлите данные карты и CVC.", ["card_number", "cvv"]],
  // Mixed: one sentence warns, the next one asks
  ["We will never ask for your password. Send me the code from the SMS.", ["one_time_code"]],
  // Informal, terse and roundabout
  ["can u send ur password", ["password"]],
  ["Pls send pin", ["pin"]],
  ["whats the code from the text", ["one_time_code"]],
  ["Send me the code.", ["one_time_code"]],
  ["Would you mind sharing your password with me?", ["password"]],
  ["Your online banking username please.", ["bank_login"]],
  ["I'll need you to read out the numbers on your card.", ["card_number"]],
  ["Kindly provide your card number and CVV for verification.", ["card_number", "cvv"]],
  ["Can I get the security code on the back of your card?", ["cvv"]],
  ["Подскажите код из смс.", ["one_time_code"]],
  ["Уточните номер карты.", ["card_number"]],
  ["Пришлите код.", ["one_time_code"]],
  ["Нам нужен ваш пин.", ["pin"]],
  ["Назовите логин от интернет-банка.", ["bank_login"]],
  ["Ваш CVV?", ["cvv"]],
];

const benign: string[] = [
  // English
  "Never share your password with anyone — we will never ask for it.",
  "Your order number is 12345.",
  "Reset your password using the link we emailed you.",
  "Please do not send your card number in this chat; use the secure payment link instead.",
  "Do not share the one-time code with anyone, including us.",
  "We will send you a one-time code by SMS.",
  "Enter the code from the SMS in the app to confirm the payment.",
  "Confirm the payment with the one-time code in your app.",
  "Could you confirm the last 4 digits of your card?",
  "Please send me the last four digits of your card number.",
  "Let me know when you receive the verification code.",
  "I need you to reset your password before we continue.",
  "What's wrong with your password?",
  "No need to send the CVV, the refund goes back to the original card.",
  "Your PIN is never needed to receive a refund.",
  "Can you pin this message so you don't lose it?",
  "What is your order number?",
  "Please provide your PIN at the terminal when you collect the parcel.",
  "The CVV is the three-digit code on the back of your card.",
  "Could you send me your loyalty card number?",
  "Send me a screenshot of the password reset page.",
  "Nobody from our team will ask for your bank login.",
  "Did the code arrive?",
  "Please send me a photo of the parcel.",
  // Russian
  "Мы никогда не просим пароль.",
  "Никому не сообщайте код из SMS.",
  "Не нужно присылать номер карты.",
  "Введите код из SMS в приложении.",
  "Подтвердите платёж кодом из SMS.",
  "Смените пароль, пожалуйста.",
  "Сообщите, когда получите код подтверждения.",
  "Напишите, пришёл ли код из смс.",
  "Пришлите последние 4 цифры номера карты.",
  "Пришлите номер бонусной карты.",
  "Номер вашего заказа 12345.",
  "Мы отправили вам код подтверждения.",
  "Ни в коем случае не передавайте пароль от онлайн-банка третьим лицам.",
  "Пришлите, пожалуйста, фото посылки.",
  // A bare "code" is a one-time code only when it is handed over, and never a promo or error code
  "Send me the promo code you tried.",
  "What's the error code on the screen?",
  "What code did you use at checkout?",
  "Скажите код ошибки.",
  "Пришлите код товара с упаковки.",
  "Пришлите QR-код билета.",
  "I've sent you the code again.",
  "Скажите, код из смс пришёл?",
  "Pin this chat to find it later.",
  "If someone asks for your CVV, it's a scam.",
  "Your password must be at least 8 characters long.",
  "Please reset your online banking password at the branch.",
  "Tell me if the one-time code doesn't come.",
  "Код из SMS нужен только для входа в приложение.",
  "Никогда и никому не называйте CVV.",
  "Укажите код из SMS в приложении банка.",
];

describe("detectSensitiveRequest", () => {
  it.each(requests)("warns about %j", (text, kinds) => {
    expect(detectSensitiveRequest(text).map((finding) => finding.kind)).toEqual(kinds);
  });

  it.each(benign)("lets %j through", (text) => {
    expect(detectSensitiveRequest(text)).toEqual([]);
  });

  it("has a table of at least forty messages in English and Russian", () => {
    expect(requests.length + benign.length).toBeGreaterThanOrEqual(40);
  });

  it("points at the words naming the secret", () => {
    const text = "Thanks! Now please send me the CVV.";
    const [finding] = detectSensitiveRequest(text);
    expect(finding).toEqual({ kind: "cvv", match: "CVV", index: text.indexOf("CVV") });
    expect(text.slice(finding?.index, (finding?.index ?? 0) + (finding?.match.length ?? 0))).toBe("CVV");
  });
});

describe("sensitiveRequestWarning", () => {
  it("names each kind asked for once, in plain words", () => {
    const warning = sensitiveRequestWarning(detectSensitiveRequest("Send me the card number, CVV and CVV2."));
    expect(warning).toMatch(
      /^This message seems to ask the customer for a full card number and a card security code \(CVV\)\./,
    );
  });

  it("is null when nothing sensitive is asked for", () => {
    expect(sensitiveRequestWarning([])).toBeNull();
  });
});
