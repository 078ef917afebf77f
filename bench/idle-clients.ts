import { createInterface } from "node:readline";

import { SmtpConversation } from "./smtp-client.js";

/**
 * The idle-session holder, run as its own process with a raised file limit:
 * `idle-clients.ts PORT COUNT` opens COUNT sessions, waits for each greeting, prints one JSON
 * line `{ open, failed, firstError }`, and holds them until its stdin closes.
 */

/** Sessions being opened at once; more would overflow the listen backlogs on the way. */
const OPENING_AT_ONCE = 200;

export interface IdleReport {
  readonly open: number;
  readonly failed: number;
  readonly firstError: string;
}

export async function holdIdleSessions(port: number, count: number): Promise<SmtpConversation[]> {
  const held: SmtpConversation[] = [];
  const errors: string[] = [];
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < count) {
      next++;
      try {
        held.push(await greeted(port));
      } catch (error) {
        errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: OPENING_AT_ONCE }, opener));
  const report: IdleReport = {
    open: held.length,
    failed: errors.length,
    firstError: errors[0] ?? "",
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return held;
}

async function greeted(port: number): Promise<SmtpConversation> {
  const conversation = await SmtpConversation.open(port);
  try {
    await conversation.expect(220);
  } catch (error) {
    conversation.close();
    throw error;
  }
  return conversation;
}

async function main(): Promise<void> {
  const [port, count] = process.argv.slice(2).map(Number);
  if (port === undefined || count === undefined) throw new Error("usage: idle-clients PORT COUNT");
  const held = await holdIdleSessions(port, count);
  const input = createInterface({ input: process.stdin });
  input.on("close", () => {
    for (const conversation of held) conversation.close();
  });
}

await main();
