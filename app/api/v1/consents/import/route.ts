import { importConsentCsv, maxConsentCsvBytes } from "@/lib/domain/consents";
import { requestContext } from "@/lib/auth/actor";
import { readCsvUpload } from "@/lib/http/csv-upload";
import { route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Supervisors and admins: a consent CSV for one inbox, as multipart (`file`, `inboxId`) or a
 * text/csv body with `?inboxId=`. Valid rows are recorded together; the answer counts them and
 * lists every refused row as `{ row, column, message }`.
 */
export const POST = route(async (request) => {
  const ctx = await requestContext(request);
  const upload = await readCsvUpload(request, maxConsentCsvBytes);
  const input = { inboxId: upload.fields.inboxId, csv: upload.text };
  return Response.json(await importConsentCsv({ ctx, input: unparsed(input) }));
});
