import { PayloadTooLargeError } from "@/lib/domain/errors";

/**
 * The request body as bytes, refusing more than `limit`: first by Content-Length, then by counting
 * while reading, so a body without a length (or lying about it) cannot make us buffer gigabytes.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => bodyTooLarge(limit);
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The 413 for a body over `limit` bytes. */
export function bodyTooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The body is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
}
