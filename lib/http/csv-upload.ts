import { InvalidInputError } from "@/lib/domain/errors";
import { readBodyBytes } from "./raw-body";

/** Room for the multipart boundaries and the other fields around the file. */
const multipartOverhead = 64 * 1024;

export interface CsvUpload {
  /** The file, decoded as UTF-8 (a byte-order mark is left for the CSV parser to drop). */
  text: string;
  /** The other form fields (multipart) or the query string (a bare text/csv body). */
  fields: Record<string, string>;
}

/**
 * A CSV file sent as multipart form data (field `file`) or as a bare `text/csv` body, size-limited
 * while reading; anything that is not UTF-8 is refused rather than guessed at.
 */
export async function readCsvUpload(request: Request, limit: number): Promise<CsvUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  const query = Object.fromEntries(new URL(request.url).searchParams);
  if (contentType.startsWith("multipart/form-data")) {
    const bytes = await readBodyBytes(request, limit + multipartOverhead);
    let form: FormData;
    try {
      form = await new Response(bytes.slice(), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new InvalidInputError("The form could not be read: send the CSV as multipart form data.");
    }
    const fields: Record<string, string> = { ...query };
    for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
    const file = form.get("file");
    if (!(file instanceof Blob) || file.size === 0) {
      throw new InvalidInputError('Choose a CSV file to upload (form field "file").');
    }
    if (file.size > limit) {
      throw new InvalidInputError(`The file is larger than ${Math.round(limit / 1024 / 1024)} MB.`);
    }
    return { text: decodeUtf8(new Uint8Array(await file.arrayBuffer())), fields };
  }
  if (contentType.startsWith("text/csv") || contentType.startsWith("text/plain")) {
    const bytes = await readBodyBytes(request, limit);
    if (bytes.byteLength === 0) throw new InvalidInputError("The request body is empty; send the CSV file.");
    return { text: decodeUtf8(bytes), fields: query };
  }
  throw new InvalidInputError('Send the CSV as multipart/form-data (field "file") or as a text/csv body.');
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(
      'The file is not UTF-8 text. Save it as "CSV UTF-8" in your spreadsheet program and upload it again.',
    );
  }
}
