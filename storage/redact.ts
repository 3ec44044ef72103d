// Finding personal data is text analysis shared by storage, the NLU and the feedback; it lives in privacy/.
export { redact, REDACTION_PLACEHOLDERS } from '../privacy/redact';
