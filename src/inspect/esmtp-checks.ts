import {
  hasShellSequence,
  readMailArguments,
  type EsmtpParameter,
} from "../smtp/mail-arguments.js";
import type { EsmtpState } from "./esmtp-state.js";
import { checkAuthCommand, checkAuthParameter } from "./extensions/auth.js";
import { checkBodyParameter } from "./extensions/body.js";
import { readBdat } from "./extensions/chunking.js";
import { checkDsnParameter } from "./extensions/dsn.js";
import { checkEtrnCommand } from "./extensions/etrn.js";
import { checkSizeParameter } from "./extensions/size.js";
import { checkAddressOctets, checkSmtputf8Parameter } from "./extensions/smtputf8.js";
import type { EsmtpPolicy } from "./policy.js";
import {
  BAD_SEQUENCE_DATA,
  BAD_SEQUENCE_MAIL,
  BAD_SEQUENCE_RCPT,
  refuse,
  unsupportedParameter,
  type Refusal,
} from "./refusal.js";

/** What the checks need besides the command itself. */
export interface CheckContext {
  readonly state: EsmtpState;
  readonly policy: EsmtpPolicy;
  readonly maxData: number;
  /** Anomalies the server tolerates: logged, the command still passes. */
  readonly anomaly: (kind: "path-without-brackets" | "space-after-colon") => void;
}

const SHELL_SEQUENCE = refuse(
  "shell-sequence",
  "553 5.1.3 Address refused: shell or expansion characters",
);

/**
 * The deeper checks of an esmtp rule (SPEC section 5) on a command whose verb is legal:
 * sequence, parameters of the advertised extensions, addresses. Returns the refusal, or
 * undefined when the command passes.
 */
export function checkCommand(
  verb: string,
  parameters: string,
  context: CheckContext,
): Refusal | undefined {
  switch (verb) {
    case "MAIL":
      return checkMail(parameters, context);
    case "RCPT":
      return checkRcpt(parameters, context);
    case "DATA":
      return checkData(context.state);
    case "BDAT":
      return checkBdat(parameters, context.state);
    case "AUTH":
      return checkAuthCommand(parameters, context.state);
    case "ETRN":
      return checkEtrnCommand(parameters, context.state);
    case "VRFY":
    case "EXPN":
      return context.policy.specialCharacter && hasShellSequence(parameters)
        ? SHELL_SEQUENCE
        : undefined;
    default:
      return undefined;
  }
}

function checkMail(parameters: string, context: CheckContext): Refusal | undefined {
  const { state, policy } = context;
  if (state.sequenceKnown && state.transaction.mail !== "none") return BAD_SEQUENCE_MAIL;
  const mail = readMailArguments(parameters, "FROM");
  if (mail === undefined) return undefined;
  noteAnomalies(mail, context);
  if (policy.specialCharacter && hasShellSequence(mail.path)) return SHELL_SEQUENCE;
  const sender = policy.maxSenderLength;
  if (mail.path.length > sender.limit && sender.action === "reset") {
    return { ...refuse("sender-too-long", "552 5.1.7 Sender address too long"), action: "reset" };
  }
  // The parameters first: SMTPUTF8 among them decides whether 8-bit octets may follow.
  const refusal = firstRefusal(mail.parameters, (p) => checkMailParameter(p, context));
  return refusal ?? checkAddressOctets(mail.path, state.transaction.smtputf8);
}

function checkMailParameter(parameter: EsmtpParameter, context: CheckContext): Refusal | undefined {
  const { keyword, value } = parameter;
  const { state } = context;
  switch (keyword) {
    case "SIZE":
      return checkSizeParameter(value, state, context.maxData);
    case "BODY":
      return checkBodyParameter(value, state);
    case "RET":
    case "ENVID":
      return checkDsnParameter(keyword, value, state);
    case "AUTH":
      return checkAuthParameter(value, state);
    case "SMTPUTF8":
      return checkSmtputf8Parameter(value, state);
    default:
      return unsupportedParameter(keyword);
  }
}

function checkRcpt(parameters: string, context: CheckContext): Refusal | undefined {
  const { state, policy } = context;
  if (state.sequenceKnown && state.transaction.mail === "none") return BAD_SEQUENCE_RCPT;
  const recipients = policy.maxRecipients;
  if (state.transaction.rcptSent >= recipients.limit && recipients.action === "reset") {
    return { ...refuse("too-many-recipients", "452 4.5.3 Too many recipients"), action: "reset" };
  }
  const rcpt = readMailArguments(parameters, "TO");
  if (rcpt === undefined) return undefined;
  noteAnomalies(rcpt, context);
  if (policy.specialCharacter && hasShellSequence(rcpt.path)) return SHELL_SEQUENCE;
  const refusal = firstRefusal(rcpt.parameters, ({ keyword, value }) =>
    keyword === "NOTIFY" || keyword === "ORCPT"
      ? checkDsnParameter(keyword, value, state)
      : unsupportedParameter(keyword),
  );
  return refusal ?? checkAddressOctets(rcpt.path, state.transaction.smtputf8);
}

function checkData(state: EsmtpState): Refusal | undefined {
  const { transaction } = state;
  if (state.sequenceKnown && transaction.rcptAccepted + transaction.rcptPending === 0) {
    return BAD_SEQUENCE_DATA;
  }
  // RFC 3030 3: BINARYMIME content can only be sent with BDAT.
  if (transaction.binary || transaction.chunked) {
    return refuse("bad-sequence", "503 5.5.1 DATA not permitted in this transaction");
  }
  return undefined;
}

function checkBdat(parameters: string, state: EsmtpState): Refusal | undefined {
  if (readBdat(parameters) === undefined) {
    return refuse("bad-parameter", "501 5.5.4 Syntax: BDAT count [LAST]");
  }
  const { transaction } = state;
  if (state.sequenceKnown && transaction.rcptAccepted + transaction.rcptPending === 0) {
    return BAD_SEQUENCE_DATA;
  }
  // RFC 3030 2: "Any BDAT command sent after the BDAT LAST is illegal".
  if (transaction.lastChunkSent) return refuse("bad-sequence", "503 5.5.1 BDAT after BDAT LAST");
  return undefined;
}

function noteAnomalies(
  mail: { angleBrackets: boolean; spaceAfterColon: boolean },
  context: CheckContext,
): void {
  if (!mail.angleBrackets) context.anomaly("path-without-brackets");
  if (mail.spaceAfterColon) context.anomaly("space-after-colon");
}

function firstRefusal(
  parameters: readonly EsmtpParameter[],
  check: (parameter: EsmtpParameter) => Refusal | undefined,
): Refusal | undefined {
  for (const parameter of parameters) {
    const refusal = check(parameter);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
