import QRCode from "qrcode";

/** The otpauth:// URI as a PNG data URL, rendered on the server so the secret never needs client code. */
export function totpQrDataUrl(otpauthUri: string): Promise<string> {
  return QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M", margin: 1, width: 220 });
}
