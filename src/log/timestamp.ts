/**
 * The prefix that `service timestamps log ...` puts before every message. A pure function of
 * the options, the wall-clock time and the time since start, so tests need no clock.
 */

export interface DatetimeTimestamps {
  readonly kind: "datetime";
  readonly msec: boolean;
  /** Local time of the process's time zone; UTC otherwise, as IOS without `localtime`. */
  readonly localtime: boolean;
  readonly year?: boolean;
  readonly showTimezone?: boolean;
  /**
   * IOS marks a clock nobody set, or one that lost NTP, with a leading `*`. The gateway reads
   * the host's clock, which is normally NTP-disciplined and which IOS's configuration cannot
   * describe, so the mark is off unless asked for (to match a router's transcript).
   */
  readonly unsynchronized?: boolean;
}

export type TimestampOptions =
  { readonly kind: "none" } | { readonly kind: "uptime" } | DatetimeTimestamps;

/** IOS 12.3 writes `service timestamps log uptime` into a configuration that says nothing. */
export const IOS_DEFAULT_TIMESTAMPS: TimestampOptions = { kind: "uptime" };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const MS_PER_SECOND = 1000;
const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY;

/** The prefix, with its trailing `: `, or an empty string for `none`. */
export function formatTimestamp(options: TimestampOptions, date: Date, uptimeMs: number): string {
  switch (options.kind) {
    case "none":
      return "";
    case "uptime":
      return `${formatUptime(uptimeMs)}: `;
    case "datetime":
      return `${formatDatetime(options, date)}: `;
  }
}

/**
 * IOS's uptime stamp grows coarser with age: `hh:mm:ss` for the first day, `1d02h` for the
 * first week, then `2w3d`.
 */
export function formatUptime(uptimeMs: number): string {
  const seconds = Math.floor(Math.max(0, uptimeMs) / MS_PER_SECOND);
  if (seconds < SECONDS_PER_DAY) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor(seconds / 60) % 60;
    return `${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}`;
  }

  const days = Math.floor(seconds / SECONDS_PER_DAY);
  if (seconds < SECONDS_PER_WEEK) {
    return `${days}d${pad2(Math.floor(seconds / 3600) % 24)}h`;
  }
  return `${Math.floor(days / 7)}w${days % 7}d`;
}

interface ClockFields {
  readonly month: number;
  readonly day: number;
  readonly year: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly milliseconds: number;
}

function clockFields(date: Date, localtime: boolean): ClockFields {
  if (localtime) {
    return {
      month: date.getMonth(),
      day: date.getDate(),
      year: date.getFullYear(),
      hours: date.getHours(),
      minutes: date.getMinutes(),
      seconds: date.getSeconds(),
      milliseconds: date.getMilliseconds(),
    };
  }
  return {
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
    year: date.getUTCFullYear(),
    hours: date.getUTCHours(),
    minutes: date.getUTCMinutes(),
    seconds: date.getUTCSeconds(),
    milliseconds: date.getUTCMilliseconds(),
  };
}

/** `Mmm dd [yyyy ]hh:mm:ss[.mmm][ ZONE]`, the day padded with a space as IOS pads it. */
function formatDatetime(options: DatetimeTimestamps, date: Date): string {
  const f = clockFields(date, options.localtime);
  const mark = options.unsynchronized === true ? "*" : "";
  const year = options.year === true ? ` ${f.year}` : "";
  const time = `${pad2(f.hours)}:${pad2(f.minutes)}:${pad2(f.seconds)}`;
  const msec = options.msec ? `.${String(f.milliseconds).padStart(3, "0")}` : "";
  const zone = options.showTimezone === true ? ` ${zoneName(date, options.localtime)}` : "";
  const day = String(f.day).padStart(2, " ");
  return `${mark}${MONTHS[f.month] ?? "???"} ${day}${year} ${time}${msec}${zone}`;
}

function zoneName(date: Date, localtime: boolean): string {
  if (!localtime) return "UTC";

  const parts = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(date);
  return parts.find((part) => part.type === "timeZoneName")?.value ?? "UTC";
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
