import { navigateTo } from "@/components/ui/field";
import { errorOf } from "@/components/auth/next-auth-client";

/** Calls our JSON API from the browser; resolves the parsed body or throws the server's message. */
export async function callApi<T>(
  path: string,
  { method = "GET", body }: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    navigateTo("/sign-in?ended=1");
    throw new Error("Your session has ended; sign in again.");
  }
  if (!response.ok) throw new Error((await errorOf(response)).message);
  return (await response.json()) as T;
}
