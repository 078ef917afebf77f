/**
 * What a command handler receives and answers. Handlers read the whole line before they change
 * the model, so that a line that fails changes nothing.
 */

import type {
  AccessList,
  EsmtpPolicyMap,
  GlobalSlot,
  InertCommand,
  InterfaceConfig,
  RouterConfig,
  VtyLine,
} from "./model.js";

export interface CommandContext {
  readonly model: RouterConfig;
  /** The 1-based line being applied. */
  readonly line: number;
  /** The line where some settings were last made, for checks that need the whole text. */
  readonly settingLines: Map<string, number>;
}

/** The configuration sub-modes a command can enter, each with the object its lines configure. */
export type SubMode =
  | { readonly kind: "interface"; readonly target: InterfaceConfig }
  | { readonly kind: "vty"; readonly target: VtyLine }
  | { readonly kind: "acl"; readonly target: AccessList }
  | { readonly kind: "policy-map"; readonly target: EsmtpPolicyMap }
  | { readonly kind: "inert"; readonly target: InertCommand<string> };

export interface GlobalOutcome {
  /** Where the command is printed in the running-config; inert lines after it follow it. */
  readonly slot: GlobalSlot;
  readonly enter?: SubMode;
}
