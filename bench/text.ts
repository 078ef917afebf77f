/**
 * Mail-like content for the micro-benchmark: headers, then paragraphs of words wrapped at 76
 * columns with CRLF line ends (RFC 5322 2.1.1 recommends at most 78), blank lines between
 * paragraphs, quoted lines, and now and then a dot-stuffed line (RFC 5321 4.5.2).
 */

const WORDS = (
  "the of and to in is that for it as with was on be by this are or from at an have not " +
  "message server relay delivery mailbox sender recipient queue gateway session policy " +
  "report attached please meeting tomorrow invoice project schedule review thanks regards " +
  "network address configuration update release version customer order shipment account"
).split(" ");

const LINE_COLUMNS = 76;

const HEADERS = [
  "Received: from client.example.org (client.example.org [192.0.2.10])",
  "\tby mx.example.net with ESMTP id 4XJ7Q; Thu, 3 Dec 2026 10:00:00 +0000",
  "From: Sender <sender@example.org>",
  "To: Recipient <recipient@example.net>",
  "Subject: Quarterly report and delivery schedule",
  "Date: Thu, 3 Dec 2026 10:00:00 +0000",
  "Message-ID: <20261203100000.4XJ7Q@client.example.org>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=us-ascii",
  "",
];

/** About `octets` of content ending in CRLF, the same for the same `seed`. */
export function realisticContent(octets: number, seed = 0x5eed): Buffer {
  const random = seededRandom(seed);
  const lines = [...HEADERS];
  let size = lines.reduce((sum, line) => sum + line.length + 2, 0);
  while (size < octets) {
    for (const line of paragraph(random)) {
      lines.push(line);
      size += line.length + 2;
    }
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

function paragraph(random: () => number): string[] {
  const quoted = random() < 0.15;
  const lines: string[] = [];
  const count = 3 + Math.floor(random() * 6);
  for (let index = 0; index < count; index++) {
    const line = wrappedLine(random, quoted ? "> " : "");
    // A line the author began with a dot travels with a second dot in front.
    lines.push(random() < 0.01 ? `..${line}` : line);
  }
  lines.push("");
  return lines;
}

function wrappedLine(random: () => number, prefix: string): string {
  let line = prefix;
  for (;;) {
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? "mail";
    if (line.length + word.length + 1 > LINE_COLUMNS) return line;
    line += line.length === prefix.length ? word : ` ${word}`;
  }
}

/** xorshift32: a small deterministic generator, so every run scans the same octets. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
