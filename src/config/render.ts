/**
 * The model written back as a running-config: IOS's order and layout, `!` between blocks, and
 * every inert command after the command with effect it followed when it was read.
 */

import { renderAccessList } from "./access-list-commands.js";
import { renderInspectGlobals, renderInspectProtocol } from "./inspect-commands.js";
import { interfaceLines } from "./interface-commands.js";
import { passwordText, renderEnable } from "./line-commands.js";
import { renderLogging, renderLoggingBuffered, renderServices } from "./logging-commands.js";
import {
  GLOBAL_SLOTS,
  INTERFACE_SLOTS,
  VTY_SLOTS,
  type GlobalSlot,
  type InertCommand,
  type InterfaceConfig,
  type RouterConfig,
  type VtyLine,
  type VtySlot,
} from "./model.js";
import { renderPortMap, renderStaticNat } from "./nat-commands.js";
import { renderPolicyMaps } from "./policy-map-commands.js";
import { renderLoggingFormat, renderOperationsInspect } from "./operations-commands.js";
import { renderStateStore } from "./state-store-commands.js";

/** A block of lines printed between two `!` separators. */
type Block = string[];

export function renderRunningConfig(model: RouterConfig): string {
  const blocks: Block[] = [];
  for (const slot of GLOBAL_SLOTS) {
    blocks.push(...slotBlocks(model, slot));
    blocks.push(...inertBlocks(model.inert.filter((command) => command.anchor === slot)));
  }
  blocks.push(["end"]);

  const printed = blocks.filter((block) => block.length > 0);
  return `${printed.map((block) => block.join("\n")).join("\n!\n")}\n`;
}

function slotBlocks(model: RouterConfig, slot: GlobalSlot): Block[] {
  switch (slot) {
    case "start":
      return [];
    case "services":
      return [renderServices(model)];
    case "hostname":
      return [[`hostname ${model.hostname}`]];
    case "logging-buffered":
      return [renderLoggingBuffered(model.logging)];
    case "enable":
      return [renderEnable(model)];
    case "port-map":
      return [model.portMaps.map(renderPortMap)];
    case "inspect":
      return [inspectLines(model)];
    case "policy-map":
      return renderPolicyMaps(model);
    case "interfaces":
      return model.interfaces.map(interfaceBlock);
    case "nat":
      return [model.staticNats.map(renderStaticNat)];
    case "named-acl":
      return model.accessLists.filter((list) => !list.numbered).map(renderAccessList);
    case "logging":
      return [[...renderLogging(model.logging), ...renderLoggingFormat(model.operations)]];
    case "access-list":
      return [model.accessLists.filter((list) => list.numbered).flatMap(renderAccessList)];
    case "vty":
      return model.vtyLines.map(vtyBlock);
  }
}

function inspectLines(model: RouterConfig): string[] {
  const rules = model.inspectRules.flatMap((rule) =>
    rule.protocols.map((entry) => renderInspectProtocol(rule.name, entry)),
  );
  return [
    ...renderInspectGlobals(model.inspect),
    ...renderOperationsInspect(model.operations),
    ...renderStateStore(model.stateStore),
    ...rules,
  ];
}

/** Plain inert lines stay together; a command with a sub-mode is a block of its own. */
function inertBlocks(commands: readonly InertCommand<string>[]): Block[] {
  const blocks: Block[] = [];
  let plain: Block = [];
  for (const command of commands) {
    if (command.children.length === 0 && !opensMode(command.text)) {
      plain.push(command.text);
      continue;
    }
    blocks.push(plain, [command.text, ...command.children.map((child) => ` ${child}`)]);
    plain = [];
  }
  blocks.push(plain);
  return blocks;
}

function opensMode(text: string): boolean {
  return /^(controller|voice-port|control-plane|dial-peer|router)\b/.test(text);
}

function interfaceBlock(target: InterfaceConfig): Block {
  const effect = interfaceLines(target);
  const lines = [`interface ${target.name}`];
  for (const slot of INTERFACE_SLOTS) {
    lines.push(...effect.filter(([at]) => at === slot).map(([, text]) => ` ${text}`));
    lines.push(...inertAt(target.inert, slot));
  }
  return lines;
}

function vtyBlock(vty: VtyLine): Block {
  const range = vty.first === vty.last ? `${vty.first}` : `${vty.first} ${vty.last}`;
  const effect: [VtySlot, string][] = [];
  if (vty.password !== undefined)
    effect.push(["password", `password ${passwordText(vty.password)}`]);
  if (vty.login) effect.push(["login", "login"]);

  const lines = [`line vty ${range}`];
  for (const slot of VTY_SLOTS) {
    lines.push(...effect.filter(([at]) => at === slot).map(([, text]) => ` ${text}`));
    lines.push(...inertAt(vty.inert, slot));
  }
  return lines;
}

function inertAt<Slot extends string>(
  commands: readonly InertCommand<Slot>[],
  slot: Slot,
): string[] {
  return commands.filter((command) => command.anchor === slot).map((command) => ` ${command.text}`);
}
