export { listAccessReview, type AccessReviewEntry } from "./list";
export { reviewAccess } from "./review";
export * from "./schemas";
