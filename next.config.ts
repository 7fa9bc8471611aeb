import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Database drivers and the socket server stay real Node modules, shared with server.ts.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "drizzle-orm", "socket.io"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
