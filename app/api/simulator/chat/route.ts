import { getDb } from "@/lib/db";
import { route, searchParamsOf, unparsed } from "@/lib/http/route";
import { requireSimulatorAccess } from "@/lib/whatsapp/simulator/access";
import { readCustomerChat } from "@/lib/whatsapp/simulator/customer";

export const dynamic = "force-dynamic";

/** `?phoneNumberId=&customer=`: the chat as the customer's phone shows it. */
export const GET = route(async (request) => {
  await requireSimulatorAccess(request);
  const items = await readCustomerChat(await getDb(), unparsed(searchParamsOf(request)));
  return Response.json({ items }, { headers: { "cache-control": "no-store" } });
});
