"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";

// Zod probes for eval with `new Function` on its first parse; under the pages' CSP (no
// 'unsafe-eval' in production) the browser reports that probe as a violation, so skip it.
if (typeof window !== "undefined") z.config({ jitless: true });

/** Client-side server state lives in TanStack Query; the socket hook patches this cache. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
        },
      }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
