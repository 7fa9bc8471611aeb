export { authenticateApiToken } from "./authenticate";
export { createApiToken } from "./create";
export { listApiTokens } from "./list";
export { revokeApiToken } from "./revoke";
export { API_TOKEN_PREFIX } from "./token-format";
export * from "./schemas";
