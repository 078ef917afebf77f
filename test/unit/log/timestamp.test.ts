import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { formatTimestamp, formatUptime } from "../../../src/log/timestamp.js";

// 2026-12-03 16:49:23.045 UTC, a Thursday; the day is below 10 to show the space padding.
const DATE = new Date(Date.UTC(2026, 11, 3, 16, 49, 23, 45));
const datetime = { kind: "datetime", msec: false, localtime: false } as const;

describe("service timestamps log datetime", () => {
  it("msec: Mmm dd hh:mm:ss.mmm with the day padded by a space", () => {
    assert.equal(formatTimestamp({ ...datetime, msec: true }, DATE, 0), "Dec  3 16:49:23.045: ");
  });

  it("without msec", () => {
    assert.equal(formatTimestamp(datetime, DATE, 0), "Dec  3 16:49:23: ");
  });

  it("a two-digit day is not padded", () => {
    const date = new Date(Date.UTC(2026, 5, 22, 7, 57, 48, 935));
    assert.equal(formatTimestamp({ ...datetime, msec: true }, date, 0), "Jun 22 07:57:48.935: ");
  });

  it("year, show-timezone and the unsynchronized mark", () => {
    const options = {
      ...datetime,
      msec: true,
      year: true,
      showTimezone: true,
      unsynchronized: true,
    };
    assert.equal(formatTimestamp(options, DATE, 0), "*Dec  3 2026 16:49:23.045 UTC: ");
  });

  it("localtime follows the process time zone", () => {
    const saved = process.env.TZ;
    process.env.TZ = "Asia/Taipei";
    try {
      const options = { ...datetime, localtime: true, showTimezone: true };
      assert.match(formatTimestamp(options, DATE, 0), /^Dec {2}4 00:49:23 (GMT\+8|CST): $/);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("service timestamps log uptime", () => {
  it("hh:mm:ss in the first day", () => {
    assert.equal(formatTimestamp({ kind: "uptime" }, DATE, 754_999), "00:12:34: ");
    assert.equal(formatUptime(86_399_999), "23:59:59");
  });

  it("days and hours in the first week", () => {
    assert.equal(formatUptime(86_400_000), "1d00h");
    assert.equal(formatUptime((86_400 + 2 * 3600 + 59) * 1000), "1d02h");
  });

  it("weeks and days after", () => {
    assert.equal(formatUptime(7 * 86_400_000), "1w0d");
    assert.equal(formatUptime(17 * 86_400_000 + 5000), "2w3d");
  });

  it("a clock that went backwards reads as zero", () => {
    assert.equal(formatUptime(-5), "00:00:00");
  });
});

describe("no service timestamps log", () => {
  it("prints no prefix", () => {
    assert.equal(formatTimestamp({ kind: "none" }, DATE, 1000), "");
  });
});
