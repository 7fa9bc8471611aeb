export { beginTotpEnrolment, type EnrolmentStart } from "./begin-enrolment";
export { confirmTotpEnrolment, type EnrolmentResult } from "./confirm-enrolment";
export {
  badCredentialsMessage,
  codeRequiredMessage,
  reusedCodeMessage,
  signInWithCredentials,
  wrongCodeMessage,
  type SignedInUser,
} from "./sign-in";
export { enrolmentRequiredMessage, resolveSessionUser, type SessionUser } from "./session";
export { signInLimits, SignInThrottledError } from "./throttle";
export * from "./schemas";
