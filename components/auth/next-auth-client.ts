/** The browser side of next-auth's standard flow, kept small: CSRF token, then a form POST. */
export async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { credentials: "same-origin" });
  const body = (await response.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error("Could not start sign-in; reload the page.");
  return body.csrfToken;
}

export interface ApiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Our `{"error":{…}}` body, or a generic message when the answer is something else. */
export async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: ApiError };
    if (body.error?.message) return body.error;
  } catch {
    // fall through to the generic message
  }
  return { code: "internal", message: `Something went wrong (HTTP ${response.status}); try again.` };
}

export async function signOut(): Promise<void> {
  const token = await csrfToken();
  await fetch("/api/auth/signout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: token, json: "true" }),
  });
}
