/**
 * The configuration language's public face: what the gateway, the exec console and the CLI use.
 */

export { parseConfig, type ParsedConfig } from "./parser.js";
export { ConfigSession, type ConfigModeName } from "./session.js";
export { renderRunningConfig } from "./render.js";
export { modelFromQuickFlags, type QuickFlags } from "./quick-flags.js";
export {
  effectiveSettings,
  inspectionPolicyFor,
  type EffectiveProtocolSettings,
} from "./inspection-policy.js";
export { ENFORCED_PROTOCOLS, INSPECT_PROTOCOLS } from "./inspect-commands.js";
export { smtpPorts } from "./nat-commands.js";
export { decodeType7, encodeType7 } from "./type7.js";
export { verifySecret } from "./secret5.js";
export type { InertLine } from "./inert.js";
export * from "./model.js";
