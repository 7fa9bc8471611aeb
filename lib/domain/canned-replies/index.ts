export { listCannedReplies } from "./list";
export { createCannedReply } from "./create";
export { updateCannedReply } from "./update";
export { deleteCannedReply } from "./delete";
export { listCannedRepliesToManage } from "./manage";
export {
  renderCannedReply,
  cannedReplyVariables,
  firstName,
  type RenderedReply,
  type CannedReplyValues,
} from "./render";
export * from "./schemas";
